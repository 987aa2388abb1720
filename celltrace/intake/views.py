"""Screens of the intake stage: the public request form and the advisor queue."""

from pathlib import PurePath

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from celltrace.accounts.access import get_for_user, role_required
from celltrace.addresses import client_address
from celltrace.intake import access, actions
from celltrace.intake.access import get_consultation_for_user, get_request_for_user
from celltrace.intake.forms import (
    AttachmentForm,
    BookingForm,
    CloseForm,
    ConvertForm,
    NoteForm,
    PublicRequestForm,
    QueueFilterForm,
    RecordConsultationForm,
    RescheduleForm,
)
from celltrace.intake.models import Attachment, ConsultationRequest
from celltrace.intake.queries import queue_for
from celltrace.pages import page_of
from celltrace.refusal import Refused, show_refusal
from celltrace.uploads import EXTENSIONS

RECEIVED_SESSION_KEY = "intake_reference"
Status = ConsultationRequest.Status


def public_request(request):
    """Let anyone ask for a free consultation; no sign-in."""
    posted = request.method == "POST"
    form = PublicRequestForm(request.POST, request.FILES) if posted else PublicRequestForm()
    context = {"form": form}
    if posted and form.is_valid():
        try:
            consultation = actions.submit_request(
                fields=form.request_fields(),
                files=form.cleaned_data["attachments"],
                client_address=client_address(request),
                read_in=get_language(),
            )
        except actions.TooManyRequests as refusal:
            context["refusal"] = refusal.message
            return render(request, "intake/public_request.html", context, status=429)
        except Refused as refusal:
            show_refusal(form, refusal)
            context["refusal"] = refusal.message
        else:
            request.session[RECEIVED_SESSION_KEY] = consultation.reference
            return redirect("intake:request_received")
    return render(request, "intake/public_request.html", context)


def request_received(request):
    reference = request.session.get(RECEIVED_SESSION_KEY)
    return render(request, "intake/request_received.html", {"reference": reference})


@role_required(*access.QUEUE_ROLES)
def queue(request):
    """The site's requests, open ones first and oldest first, a page at a time, filterable."""
    form = QueueFilterForm(request.GET)
    form.is_valid()  # a filter with a wrong value is shown as an error and left out
    rank = Case(
        When(status=Status.NEW, then=Value(0)),
        When(status=Status.CLAIMED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    consultations = (
        queue_for(request.user, **form.cleaned_data)
        .select_related("condition", "advisor", "site")
        .annotate(rank=rank)
        .order_by("rank", "created_at", "pk")
    )
    page = page_of(request, consultations)
    context = {"form": form, "page": page, "consultations": page.object_list}
    return render(request, "intake/queue.html", context)


@role_required(*access.QUEUE_ROLES)
def request_detail(request, pk):
    return _render_detail(request, _get(request, pk))


@role_required(*access.CLAIM_ROLES)
@require_POST
def claim(request, pk):
    consultation = _get(request, pk)
    try:
        actions.claim_request(consultation, request.user)
    except Refused as refusal:
        return _render_detail(request, consultation, refusal=refusal.message)
    messages.success(request, "You have claimed this request.")
    return redirect(consultation)


@role_required(*access.ACT_ROLES)
@require_POST
def add_note(request, pk):
    consultation = _get(request, pk)
    form = NoteForm(request.POST)
    return _act(request, consultation, form, "note_form", "Note added.", actions.add_contact_note)


@role_required(*access.ACT_ROLES)
@require_POST
def add_attachment(request, pk):
    consultation = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)

    def attach(consultation, user, *, file):
        return actions.add_attachment(consultation, user, file)

    return _act(request, consultation, form, "attachment_form", "Report added.", attach)


@role_required(*access.ACT_ROLES)
@require_POST
def convert(request, pk):
    consultation = _get(request, pk)
    form = ConvertForm(request.POST)
    return _act(
        request,
        consultation,
        form,
        "convert_form",
        "The patient record was created.",
        actions.convert_to_patient,
        then=lambda patient: redirect(patient),
    )


@role_required(*access.ACT_ROLES)
@require_POST
def close(request, pk):
    consultation = _get(request, pk)
    form = CloseForm(request.POST)
    return _act(request, consultation, form, "close_form", "Request closed.", actions.close_request)


@role_required(*access.ATTACHMENT_ROLES)
def attachment(request, pk):
    """Download a report: always as a file, with the type its content proved to be."""
    item = get_for_user(Attachment.objects.all(), request.user, pk, site_field="request__site")
    name = f"{PurePath(item.original_name).stem}.{EXTENSIONS[item.content_type]}"
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=name, content_type=item.content_type
    )


def _get(request, pk) -> ConsultationRequest:
    return get_request_for_user(request.user, pk)


def _act(request, consultation, form, form_name, done, action, *, then=None):
    """Run one advisor action from its form; show the refusal on the page if it says no."""
    if form.is_valid():
        try:
            result = action(consultation, request.user, **form.cleaned_data)
        except Refused as refusal:
            show_refusal(form, refusal)
            return _render_detail(
                request, consultation, refusal=refusal.message, **{form_name: form}
            )
        messages.success(request, done)
        return then(result) if then else redirect(consultation)
    return _render_detail(request, consultation, **{form_name: form})


def _render_detail(request, consultation, *, refusal=None, **forms):
    consultation.refresh_from_db()
    context = {
        "consultation": consultation,
        "attachments": consultation.attachments.select_related("uploaded_by"),
        "notes": consultation.notes.select_related("author"),
        "refusal": refusal,
        "may_claim": request.user.role in access.CLAIM_ROLES and consultation.status == Status.NEW,
        "act_refusal": actions.act_refusal(consultation, request.user),
        "note_form": forms.get("note_form") or NoteForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "convert_form": forms.get("convert_form") or ConvertForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "consultations": consultation.consultations.select_related("advisor"),
        "booking_form": forms.get("booking_form")
        or BookingForm(site=consultation.site, initial={"phone": consultation.phone}),
    }
    return render(request, "intake/request_detail.html", context)


@role_required(*access.ACT_ROLES)
@require_POST
def book(request, pk):
    """Book the advisor's call from the request's page."""
    consultation = _get(request, pk)
    form = BookingForm(request.POST, site=consultation.site)
    return _act(
        request,
        consultation,
        form,
        "booking_form",
        "Consultation booked; the e-mail with the time is on its way.",
        actions.book_consultation,
    )


@role_required(*access.QUEUE_ROLES)
def consultation_detail(request, pk):
    return _render_consultation(request, get_consultation_for_user(request.user, pk))


@role_required(*access.ACT_ROLES)
@require_POST
def record_consultation(request, pk):
    booked = get_consultation_for_user(request.user, pk)
    form = RecordConsultationForm(request.POST)
    if not form.is_valid():
        return _render_consultation(request, booked, form=form)
    try:
        actions.record_consultation(booked, request.user, **form.answers())
    except Refused as refusal:
        show_refusal(form, refusal)
        return _render_consultation(request, booked, form=form, refusal=refusal.message)
    messages.success(request, "Answers recorded; the summary and estimate are on their way.")
    return redirect("intake:consultation", pk=booked.pk)


@role_required(*access.ACT_ROLES)
@require_POST
def cancel_consultation(request, pk):
    return _change_consultation(request, pk, actions.cancel_consultation, "Consultation cancelled.")


@role_required(*access.ACT_ROLES)
@require_POST
def reschedule(request, pk):
    """Move a booked call to another time; the person is e-mailed the new one."""
    booked = get_consultation_for_user(request.user, pk)
    form = RescheduleForm(request.POST, site=booked.request.site)
    if not form.is_valid():
        return _render_consultation(request, booked, reschedule_form=form)
    try:
        actions.reschedule_consultation(booked, request.user, **form.cleaned_data)
    except Refused as refusal:
        show_refusal(form, refusal)
        return _render_consultation(request, booked, reschedule_form=form, refusal=refusal.message)
    messages.success(request, "Consultation moved; the e-mail with the new time is on its way.")
    return redirect("intake:consultation", pk=booked.pk)


@role_required(*access.ACT_ROLES)
@require_POST
def no_show(request, pk):
    return _change_consultation(request, pk, actions.record_no_show, "Recorded: did not attend.")


def _change_consultation(request, pk, action, done):
    booked = get_consultation_for_user(request.user, pk)
    try:
        action(booked, request.user)
    except Refused as refusal:
        return _render_consultation(request, booked, refusal=refusal.message)
    messages.success(request, done)
    return redirect("intake:consultation", pk=booked.pk)


def _render_consultation(request, booked, *, form=None, reschedule_form=None, refusal=None):
    booked.refresh_from_db()
    context = {
        "booked": booked,
        "consultation": booked.request,
        "lines": booked.estimate_lines.all(),
        "refusal": refusal,
        "act_refusal": actions.act_refusal(booked.request, request.user, closed_ok=True),
        "form": form or RecordConsultationForm(),
        "reschedule_form": reschedule_form
        or RescheduleForm(site=booked.request.site, initial={"minutes": booked.minutes}),
    }
    return render(request, "intake/consultation.html", context)
