"""The care screens: daily rounds, therapy sessions, and the program's services."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.care import access, actions, queries
from celltrace.care.forms import (
    CancelForm,
    InterpreterForm,
    MarkForm,
    MealsForm,
    RescheduleForm,
    RoundForm,
    TransferForm,
)
from celltrace.care.letter import discharge_letter
from celltrace.care.letter_pdf import letter_pdf
from celltrace.care.models import ServiceBooking
from celltrace.refusal import Refused, show_refusal
from celltrace.stays.access import get_stay_for_user
from celltrace.stays.forms import now_for_input


def _form_page(request, form, act, *, template, done, context):
    """Show the form; on a valid post call the action, then go on or show the refusal."""
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            act(**form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, done)
            return None
    return render(request, template, {**context, "form": form, "refusal": refusal})


def _next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback.get_absolute_url()


@role_required(*access.ROUNDS)
def record_round(request, stay_pk):
    stay = get_stay_for_user(request.user, stay_pk)
    form = RoundForm(request.POST or None, initial={"taken_at": now_for_input()})
    page = _form_page(
        request,
        form,
        lambda **fields: actions.record_round(stay, request.user, **fields),
        template="care/round_form.html",
        done="Daily round recorded.",
        context={"stay": stay},
    )
    return page or redirect(stay)


@require_POST
@role_required(*access.SCHEDULE_THERAPY)
def schedule_therapy(request, stay_pk):
    stay = get_stay_for_user(request.user, stay_pk)
    try:
        sessions = actions.schedule_therapy_sessions(stay, request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{len(sessions)} therapy sessions scheduled.")
    return redirect(stay)


@role_required(*access.SCHEDULE_THERAPY)
def reschedule(request, pk):
    session = access.get_therapy_session_for_user(request.user, pk)
    initial = {"therapist": session.therapist, "room": session.room}
    form = RescheduleForm(request.POST or None, initial=initial)
    page = _form_page(
        request,
        form,
        lambda **fields: actions.reschedule_session(session, request.user, **fields),
        template="care/session_form.html",
        done="Session moved.",
        context={"session": session, "title": "Move a therapy session"},
    )
    return page or redirect(session.stay)


@role_required(*access.MARK_THERAPY)
def mark(request, pk):
    session = access.get_therapy_session_for_user(request.user, pk)
    form = MarkForm(request.POST or None, initial={"status": request.GET.get("status")})
    page = _form_page(
        request,
        form,
        lambda **fields: actions.mark_session(session, request.user, **fields),
        template="care/session_form.html",
        done="Session recorded.",
        context={"session": session, "title": "Record a therapy session"},
    )
    return page or redirect(_next(request, session.stay))


@role_required(*access.VIEW_CARE)
def therapy_today(request):
    context = {
        "sessions": queries.sessions_today(request.user),
        "can_mark": request.user.role in access.MARK_THERAPY,
    }
    return render(request, "care/therapy_today.html", context)


# Keyed by the kind's value, as the URL names it.
BOOKING_FORMS = {
    "interpreter": (InterpreterForm, actions.book_interpreter),
    "transfer": (TransferForm, actions.book_transfer),
    "meals": (MealsForm, actions.book_meals),
}


@role_required(*access.BOOK_SERVICES)
def book(request, plan_pk, kind):
    plan = access.get_plan_for_booking(request.user, plan_pk)
    form_class, action = BOOKING_FORMS[kind]
    initial = {"language": plan.patient.language}
    form = form_class(request.POST or None, initial=initial)
    page = _form_page(
        request,
        form,
        lambda **fields: action(plan, request.user, **fields),
        template="care/booking_form.html",
        done=f"{ServiceBooking.Kind(kind).label} booked.",
        context={"plan": plan, "kind": ServiceBooking.Kind(kind).label},
    )
    return page or redirect(plan)


@role_required(*access.BOOK_SERVICES)
def cancel(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    form = CancelForm(request.POST or None)
    page = _form_page(
        request,
        form,
        lambda **fields: actions.cancel_booking(booking, request.user, **fields),
        template="care/booking_form.html",
        done="Booking cancelled.",
        context={"plan": booking.plan, "kind": f"Cancel: {booking.describe()}"},
    )
    return page or redirect(booking.plan)


@role_required(*access.VIEW_SERVICES)
def services(request):
    context = {
        "upcoming": queries.upcoming_bookings(request.user),
        "days": queries.SERVICES_AHEAD_DAYS,
    }
    return render(request, "care/services.html", context)


@role_required(*access.READ_LETTER)
def letter(request, stay_pk):
    """The discharge letter as PDF, for the patient and their home doctor."""
    stay = access.get_discharged_stay_for_user(request.user, stay_pk)
    response = HttpResponse(letter_pdf(discharge_letter(stay)), content_type="application/pdf")
    name = f"discharge-letter-{stay.patient.code}-{stay.discharged_at:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
