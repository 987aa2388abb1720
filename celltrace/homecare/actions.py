"""The patient answers for each home-care dose: taken, or not taken and why."""

from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.clinical import home_care
from celltrace.homecare import access
from celltrace.homecare.models import HomeCareDose
from celltrace.refusal import NotAllowed, Refused


def _locked(dose: HomeCareDose) -> HomeCareDose:
    return HomeCareDose.objects.select_for_update().select_related("patient__site").get(pk=dose.pk)


def _refuse_unless_open(dose: HomeCareDose, user) -> None:
    """Refuse another patient's dose, or one already answered."""
    if dose.patient.portal_user_id != user.pk:
        raise NotAllowed("You can answer only for your own doses.", code="not_your_dose")
    if dose.status != HomeCareDose.Status.PLANNED:
        raise Refused(
            f"This dose is already recorded as {dose.get_status_display().lower()}.",
            code="already_answered",
            params={"status": dose.status},
        )


def _answer(dose: HomeCareDose, user, status: str, reason: str = "") -> HomeCareDose:
    dose.status = status
    dose.answered_at = timezone.now()
    dose.answered_by = user
    dose.skip_reason = reason
    return save_by(dose, user)


@transaction.atomic
def confirm_dose(dose: HomeCareDose, user) -> HomeCareDose:
    """Record that the patient took the dose: on its day or later, never ahead of it."""
    dose = _locked(dose)
    check_actor(user, access.ANSWER, "confirm a home-care dose", site_id=dose.patient.site_id)
    _refuse_unless_open(dose, user)
    today = site_time.today(dose.patient.site)
    if problems := home_care.confirm_problems(dose.day, today):
        raise Refused(problems[0], code="not_yet_due", params={"day": f"{dose.day}"})
    return _answer(dose, user, HomeCareDose.Status.TAKEN)


@transaction.atomic
def skip_dose(dose: HomeCareDose, user, *, reason: str) -> HomeCareDose:
    """Record that the patient did not (or will not) take the dose, and why."""
    dose = _locked(dose)
    check_actor(user, access.ANSWER, "skip a home-care dose", site_id=dose.patient.site_id)
    _refuse_unless_open(dose, user)
    today = site_time.today(dose.patient.site)
    reason = (reason or "").strip()
    if problems := home_care.skip_problems(dose.day, today, reason):
        raise Refused(" ".join(problems), code="invalid", field_errors={"reason": problems[-1]})
    return _answer(dose, user, HomeCareDose.Status.SKIPPED, reason)
