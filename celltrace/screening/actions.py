"""Recording the doctors' eligibility decision: the checklist is checked before saving."""

from __future__ import annotations

from django.db import transaction

from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.clinical import checklist
from celltrace.refusal import Refused
from celltrace.screening.models import Contraindication, Screening, ScreeningAnswer

NOTE_MAX_LENGTH = ScreeningAnswer._meta.get_field("note").max_length


def answer_field(code: str) -> str:
    """Return the error key of one checklist question, shared by the form and the API."""
    return f"answers.{code}"


@transaction.atomic
def record_screening(
    patient,
    doctor,
    *,
    answers: dict[str, tuple[str, str]],
    decision: str,
    reasons: str,
) -> Screening:
    """Record a screening: an answer (and optional note) to every active question, a decision."""
    if doctor.role != Role.DOCTOR:
        raise Refused("Only a doctor may record a screening decision.")
    if doctor.site_id != patient.site_id:
        raise Refused("Screen only patients of your own site.")
    items = active_items()
    reasons = (reasons or "").strip()
    errors, review = check_screening(items, answers, decision, reasons)
    if errors:
        raise Refused("The screening was not recorded: " + _first(errors), field_errors=errors)
    screening = save_by(
        Screening(
            patient=patient,
            doctor=doctor,
            decision=decision,
            donor_products_only=review.donor_products_only,
            reasons=reasons,
        ),
        doctor,
    )
    for item in items:
        answer, note = answers[item.code]
        save_by(
            ScreeningAnswer(
                screening=screening, contraindication=item, answer=answer, note=(note or "").strip()
            ),
            doctor,
        )
    return screening


def active_items() -> list[Contraindication]:
    """Return the questions every screening must answer now."""
    return list(Contraindication.objects.filter(active=True))


def check_screening(
    items: list[Contraindication], answers: dict, decision: str, reasons: str
) -> tuple[dict[str, str], checklist.Review]:
    """Return the problems of a screening, keyed by field, and the checklist's review."""
    errors = _answer_errors(items, answers)
    review = checklist.review_screening(
        [_to_domain(item, answers) for item in items], decision, reasons
    )
    known = {item.code for item in items}
    for problem in review.problems:
        key = answer_field(problem.field) if problem.field in known else problem.field
        errors.setdefault(key, problem.message)
    return errors, review


def _answer_errors(items, answers: dict) -> dict[str, str]:
    errors = {}
    known = {item.code for item in items}
    for code in answers:
        if code not in known:
            errors[answer_field(code)] = f"“{code}” is not an active question of the checklist."
    for item in items:
        if item.code not in answers:
            errors[answer_field(item.code)] = f"Answer “{item.label}”."
        elif len(answers[item.code][1] or "") > NOTE_MAX_LENGTH:
            errors[answer_field(item.code)] = f"Keep the note under {NOTE_MAX_LENGTH} characters."
    return errors


def _to_domain(item: Contraindication, answers: dict) -> checklist.ItemAnswer:
    # A missing answer counts as unknown, so "eligible" is refused for it as well.
    answer = answers.get(item.code, (checklist.UNKNOWN, ""))[0]
    return checklist.ItemAnswer(item.code, item.label, item.kind, answer)


def _first(errors: dict[str, str]) -> str:
    return next(iter(errors.values()))
