"""The donor screens: register a donor, record tests, determine eligibility (21 CFR 1271.85)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import has_role, role_required
from celltrace.lab import actions, donors
from celltrace.lab.access import (
    DONOR_DETERMINERS,
    DONOR_VIEWERS,
    LOT_MAKERS,
    donors_for_user,
    get_donor_for_user,
)
from celltrace.lab.forms import DeterminationForm, DonorForm, DonorTestForm
from celltrace.lab.models import Donor
from celltrace.pages import page_of
from celltrace.refusal import Refused, show_refusal


@role_required(*DONOR_VIEWERS)
def donor_list(request):
    rows = donors_for_user(request.user).select_related("site")
    determination = request.GET.get("determination", "")
    if determination:
        rows = rows.filter(determination=determination)
    context = {
        "donors": page_of(request, rows),
        "determination": determination,
        "determinations": Donor.Determination.choices,
    }
    return render(request, "lab/donor_list.html", context)


@role_required(*LOT_MAKERS)
def new_donor_record(request):
    form = DonorForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            donor = actions.register_donor(request.user.site, request.user, **form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            messages.success(request, f"Donor {donor.code} registered.")
            return redirect(donor)
    return render(request, "lab/new_donor_record.html", {"form": form, "refusal": refusal})


def _donor_page(request, donor, *, refusal=None, status=200, **forms):
    user = request.user
    leukocyte_rich = donor.lots.filter(product__leukocyte_rich=True).exists()
    context = {
        "donor": donor,
        "results": donor.test_results.select_related("test", "recorded_by"),
        "determinations": donor.determinations.select_related("decided_by"),
        "lots": donor.lots.select_related("product", "plan__patient", "donor"),
        "assessment": donors.assessment(donor, leukocyte_rich=leukocyte_rich),
        "leukocyte_rich": leukocyte_rich,
        "refusal": refusal,
        "test_form": (forms.get("test_form") or DonorTestForm())
        if has_role(user, LOT_MAKERS)
        else None,
        "determination_form": (forms.get("determination_form") or DeterminationForm())
        if has_role(user, DONOR_DETERMINERS)
        else None,
    }
    return render(request, "lab/donor_detail.html", context, status=status)


@role_required(*DONOR_VIEWERS)
def donor_detail(request, pk):
    return _donor_page(request, get_donor_for_user(request.user, pk))


def _post_on_donor(request, donor, form_name, form, call, done):
    if form.is_valid():
        try:
            call(donor, form)
        except Refused as error:
            show_refusal(form, error)
            return _donor_page(request, donor, refusal=error, **{form_name: form})
        messages.success(request, done)
        return redirect(donor)
    return _donor_page(request, donor, **{form_name: form})


@require_POST
@role_required(*LOT_MAKERS)
def add_donor_test(request, pk):
    def call(donor, form):
        actions.record_donor_test(donor, request.user, **form.action_kwargs())

    donor = get_donor_for_user(request.user, pk)
    form = DonorTestForm(request.POST)
    return _post_on_donor(request, donor, "test_form", form, call, "Test result recorded.")


@require_POST
@role_required(*DONOR_DETERMINERS)
def determine(request, pk):
    def call(donor, form):
        actions.determine_donor(donor, request.user, **form.cleaned_data)

    donor = get_donor_for_user(request.user, pk)
    form = DeterminationForm(request.POST)
    return _post_on_donor(
        request, donor, "determination_form", form, call, "Determination recorded."
    )
