"""The follow-up list (overdue and upcoming), completing an item, booking a check-up and
recording how it went, the patient's own appointments, and ending a patient's follow-up."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts import site_time
from celltrace.accounts.access import role_required
from celltrace.accounts.models import Role
from celltrace.followup import access, actions
from celltrace.followup.access import get_appointment_for_user, get_item_for_user
from celltrace.followup.forms import BookingForm, CompleteForm, FollowUpEndForm, OutcomeForm
from celltrace.followup.models import FollowUpItem
from celltrace.followup.queries import UPCOMING_DAYS, follow_up_lists
from celltrace.pages import page_of
from celltrace.patients.access import get_patient_for_user, patients_for_user
from celltrace.refusal import Refused, show_refusal


@role_required(*access.VIEW)
def overdue(request):
    overdue_rows, upcoming = follow_up_lists(request.user)
    context = {
        "rows": page_of(request, overdue_rows),
        "upcoming": page_of(request, upcoming, param="upcoming_page"),
        "upcoming_days": UPCOMING_DAYS,
        "can_complete": request.user.role in access.COMPLETE,
        "can_book": request.user.role in access.BOOK,
        "zone": request.user.site.time_zone if request.user.site_id else None,
    }
    return render(request, "followup/overdue.html", context)


@role_required(*access.BOOK)
def book(request, pk):
    item = get_item_for_user(request.user, pk)
    initial = {"place": "clinic", "phone": item.patient.phone, "day": item.due_date}
    form = BookingForm(request.POST or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            appointment = actions.book_appointment(item, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            flagged = " (outside its window: flagged)" if appointment.outside_window else ""
            messages.success(request, f"Booked: {item.title} for {item.patient}{flagged}.")
            return redirect("followup:overdue")
    context = {"form": form, "item": item, "refusal": refusal, "zone": item.patient.site.time_zone}
    return render(request, "followup/book.html", context)


@require_POST
@role_required(*access.BOOK)
def outcome(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose attended, did not come or cancelled.")
        return redirect("followup:overdue")
    try:
        actions.record_appointment_outcome(appointment, request.user, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Recorded for {appointment.item.patient}.")
    return redirect("followup:overdue")


@role_required(Role.PATIENT)
def my_appointments(request):
    """The patient's check-ups in plain words: when each is due, and what is booked."""
    patients = patients_for_user(request.user).select_related("site")
    checkups = (
        FollowUpItem.objects.filter(patient__in=patients, kind=FollowUpItem.Kind.CHECKUP)
        .select_related("patient__site")
        .prefetch_related("appointments")
    )
    site = patients[0].site if patients else None
    context = {
        "checkups": checkups,
        "zone": site.time_zone if site else None,
        "today": site_time.today(site) if site else None,
    }
    return render(request, "followup/my_appointments.html", context)


@require_POST
@role_required(*access.COMPLETE)
def complete(request, pk):
    item = get_item_for_user(request.user, pk)
    form = CompleteForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    try:
        actions.complete_follow_up_item(item, request.user, notes=notes)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Done: {item.title} for {item.patient}.")
    return redirect("followup:overdue")


@role_required(*access.END)
def end(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = FollowUpEndForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            ended = actions.record_follow_up_end(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"Recorded for {patient}: {ended}.")
            return redirect(patient)
    context = {"form": form, "patient": patient, "refusal": refusal}
    return render(request, "followup/end_form.html", context)
