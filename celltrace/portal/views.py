"""The patient's portal, and the care team's side of the patient's messages.

The patient's pages admit only the patient role and read only the record linked to the
account (`access.own_record`); the team's pages admit the care team of the patient's site.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from celltrace.accounts.access import role_required
from celltrace.accounts.models import Role
from celltrace.pages import page_of
from celltrace.portal import access, actions, queries
from celltrace.portal.forms import MessageForm, ReportForm
from celltrace.portal.plain_words import words_to_know
from celltrace.portal.quote_pdf import quote_pdf
from celltrace.refusal import Refused


@role_required(Role.PATIENT)
def home(request):
    patient = access.own_record(request.user)
    context = {
        "patient": patient,
        "plan": queries.active_plan(patient),
        "stay": queries.latest_stay(patient),
        "coming_up": queries.coming_up(patient),
        "unread": access.conversation(patient).filter(from_patient=False, read_at__isnull=True),
        "more": queries.optional_links(patient),
    }
    return render(request, "portal/home.html", context)


@role_required(Role.PATIENT)
def treatment(request):
    patient = access.own_record(request.user)
    plan = queries.active_plan(patient)
    context = {
        "patient": patient,
        "plan": plan,
        "doses": queries.planned_doses(plan) if plan else [],
        "acceptance": plan.quote_acceptance if plan else None,
        "words": words_to_know(
            patient.condition.code, [p.product for p in plan.products.all()] if plan else []
        ),
    }
    return render(request, "portal/treatment.html", context)


@role_required(Role.PATIENT)
def stay(request):
    patient = access.own_record(request.user)
    current = queries.latest_stay(patient)
    context = {
        "patient": patient,
        "stay": current,
        "days": queries.stay_days(current) if current else [],
    }
    return render(request, "portal/stay.html", context)


@role_required(Role.PATIENT)
def documents(request):
    patient = access.own_record(request.user)
    context = {
        "patient": patient,
        "plan": queries.active_plan(patient),
        "letters": queries.discharged_stays(patient),
        "reports": access.reports_for_user(request.user),
        "words": words_to_know(patient.condition.code),
    }
    return render(request, "portal/documents.html", context)


@role_required(Role.PATIENT)
def quote(request, pk):
    """The quote of one of the patient's own plans, as PDF."""
    patient = access.own_record(request.user)
    plan = patient.plans.select_related("patient__site").filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan of yours.")
    response = HttpResponse(quote_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="quote-{plan.number}.pdf"'
    return response


@role_required(Role.PATIENT)
def messages_page(request):
    patient = access.own_record(request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.write_to_care_team(patient, request.user, body=form.cleaned_data["body"])
        except Refused as refusal:
            form.add_error("body", refusal.message)
        else:
            messages.success(request, _("Your message was sent to your care team."))
            return redirect("portal:messages")
    actions.read_conversation(patient, request.user)
    context = {"patient": patient, "form": form, "thread": access.conversation(patient)}
    return render(request, "portal/messages.html", context)


@role_required(Role.PATIENT)
def send_report(request):
    patient = access.own_record(request.user)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_report(
                patient, request.user, form.cleaned_data["file"], note=form.cleaned_data["note"]
            )
        except Refused as refusal:
            field = "note" if "note" in refusal.field_errors else "file"
            form.add_error(field, refusal.message)
        else:
            messages.success(request, _("Thank you: your care team can now read the report."))
            return redirect("portal:documents")
    return render(request, "portal/send_report.html", {"patient": patient, "form": form})


@role_required(*access.READ_REPORTS)
def report_file(request, pk):
    """A report the patient sent: always a download, of the type its content proved to be."""
    report = access.get_report_for_user(request.user, pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.original_name,
        content_type=report.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*access.CARE_TEAM)
def inbox(request):
    """The patients' messages the care team of this site has not read yet."""
    unread = access.unanswered_for_team(request.user)
    return render(request, "portal/inbox.html", {"unread": page_of(request, unread)})


@role_required(*access.CARE_TEAM)
def conversation(request, patient_pk):
    patient = access.get_patient_for_team(request.user, patient_pk)
    form = MessageForm(request.POST or None)
    form.fields["body"].label = _("Your answer")
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_patient(patient, request.user, body=form.cleaned_data["body"])
        except Refused as refusal:
            form.add_error("body", refusal.message)
        else:
            messages.success(request, _("Answer sent; the patient is told by e-mail to sign in."))
            return redirect("portal:conversation", patient_pk=patient.pk)
    actions.read_conversation(patient, request.user)
    context = {"patient": patient, "form": form, "thread": access.conversation(patient)}
    return render(request, "portal/conversation.html", context)
