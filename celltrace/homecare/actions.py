"""The answer for each home-care dose: taken, or not taken and why.

The patient answers in the portal; a nurse, coordinator or doctor of the site enters what
the patient reported by phone (the coordinator calls about missed doses). Both go through
the same rules: taken only from the dose's day on; not taken with a reason, at most a couple
of days ahead.
"""

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


def _refuse_unless_own(dose: HomeCareDose, user) -> None:
    if dose.patient.portal_user_id != user.pk:
        raise NotAllowed("You can answer only for your own doses.", code="not_your_dose")


def _refuse_unless_open(dose: HomeCareDose) -> None:
    if dose.status != HomeCareDose.Status.PLANNED:
        raise Refused(
            f"This dose is already recorded as {dose.get_status_display().lower()}.",
            code="already_answered",
            params={"status": dose.status},
        )


def _answer(dose: HomeCareDose, user, *, taken: bool, reason: str, source: str) -> HomeCareDose:
    """Check the answer against the dose's day and record it with who, when and how."""
    _refuse_unless_open(dose)
    today = site_time.today(dose.patient.site)
    if taken:
        if problems := home_care.confirm_problems(dose.day, today):
            raise Refused(problems[0], code="not_yet_due", params={"day": f"{dose.day}"})
    else:
        reason = (reason or "").strip()
        if problems := home_care.skip_problems(dose.day, today, reason):
            raise Refused(" ".join(problems), code="invalid", field_errors={"reason": problems[-1]})
    dose.status = HomeCareDose.Status.TAKEN if taken else HomeCareDose.Status.SKIPPED
    dose.answered_at = timezone.now()
    dose.answered_by = user
    dose.skip_reason = "" if taken else reason
    dose.source = source
    return save_by(dose, user)


@transaction.atomic
def confirm_dose(dose: HomeCareDose, user) -> HomeCareDose:
    """Record that the patient took the dose: on its day or later, never ahead of it."""
    dose = _locked(dose)
    check_actor(user, access.ANSWER, "confirm a home-care dose", site_id=dose.patient.site_id)
    _refuse_unless_own(dose, user)
    return _answer(dose, user, taken=True, reason="", source=HomeCareDose.Source.PORTAL)


@transaction.atomic
def skip_dose(dose: HomeCareDose, user, *, reason: str) -> HomeCareDose:
    """Record that the patient did not (or will not) take the dose, and why."""
    dose = _locked(dose)
    check_actor(user, access.ANSWER, "skip a home-care dose", site_id=dose.patient.site_id)
    _refuse_unless_own(dose, user)
    return _answer(dose, user, taken=False, reason=reason, source=HomeCareDose.Source.PORTAL)


@transaction.atomic
def record_phoned_dose(dose: HomeCareDose, user, *, taken: bool, reason: str = "") -> HomeCareDose:
    """Enter what the patient reported by phone: the dose taken, or not taken and why."""
    dose = _locked(dose)
    check_actor(
        user,
        access.RECORD_REPORTED,
        "record a dose the patient reported",
        site_id=dose.patient.site_id,
    )
    return _answer(dose, user, taken=taken, reason=reason, source=HomeCareDose.Source.PHONE)
