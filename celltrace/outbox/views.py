"""The outbox: what the clinic wrote to whom, whether it went, and each message as sent.

And the patient's choice of reminders, set by the patient in the portal or by staff.
"""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.accounts.models import Role
from celltrace.outbox import access
from celltrace.outbox.actions import PREFERENCE_ROLES, set_reminders
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.pages import page_of
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused


@role_required(*access.VIEW)
def outbox(request):
    rows = access.messages_for_user(request.user)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status in Message.Status.values:
        rows = rows.filter(status=status)
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    page = page_of(request, rows)
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": Message.Status.choices,
        "kinds": Kind.choices,
    }
    return render(request, "outbox/outbox.html", context)


@role_required(*access.VIEW)
def message_detail(request, pk):
    message = access.get_message_for_user(request.user, pk)
    return render(request, "outbox/message.html", {"message": message})


@require_POST
@role_required(*PREFERENCE_ROLES, Role.PATIENT)
def reminders(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    wanted = request.POST.get("reminders") == "yes"
    try:
        set_reminders(patient, request.user, wanted=wanted)
    except Refused as refusal:
        flash.error(request, refusal.message)
    else:
        flash.success(
            request,
            "Reminders will be e-mailed." if wanted else "No more reminders by e-mail.",
        )
    # The portal's home sends the patient back there; the staff page, to the patient page.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(patient)
