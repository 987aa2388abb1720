"""Screening writes: facts, evaluations, doctors' sign-offs, day-one re-checks, rule sets."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor, check_role
from celltrace.audit import save_by
from celltrace.clinical import eligibility
from celltrace.refusal import Refused
from celltrace.screening import access, evaluation
from celltrace.screening.models import (
    PatientFact,
    PriorTherapy,
    RuleSet,
    Screening,
    ScreeningSignature,
)
from celltrace.screening.notices import notify_day_one_block, notify_decision
from celltrace.screening.prior_therapies import NONE, OTHER, coded
from celltrace.screening.signed_records import screening_content
from celltrace.signatures.models import Signature
from celltrace.signatures.service import records_wrong_passwords, sign

ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.?[0-9A-Z]{1,4})?$")
SOURCES = Screening.Source.values


@transaction.atomic
def record_fact(patient, user, *, kind: str, on, provenance: str, **values) -> PatientFact:
    """Record one dated fact about the patient, refusing what the rules could not read."""
    check_actor(user, access.FACT_ROLES, "record a patient's facts", site_id=patient.site_id)
    return save_by(
        checked_fact(patient, user, kind=kind, on=on, provenance=provenance, **values), user
    )


def checked_fact(patient, user, *, kind: str, on, provenance: str, **values) -> PatientFact:
    """Build (unsaved) a fact the rules can read, or refuse it; the caller checks who may save.

    Every door that brings facts in (the form, the API, a FHIR or CSV import) checks them here.
    """
    fact = PatientFact(
        patient=patient, kind=kind, on=on, provenance=(provenance or "").strip(), recorded_by=user
    )
    errors = _fact_errors(fact, values)
    if errors:
        raise Refused(
            "The fact was not recorded: " + _first(errors), code="invalid", field_errors=errors
        )
    return fact


@transaction.atomic
def record_prior_therapy(
    patient,
    user,
    *,
    therapy: str,
    other_name: str = "",
    started_year: int | None = None,
    stopped_year: int | None = None,
) -> PriorTherapy:
    """Record one coded prior therapy of the patient's condition, or that there was none."""
    check_actor(user, access.PRIOR_THERAPY_ROLES, "record prior therapies", site_id=patient.site_id)
    record = PriorTherapy(
        patient=patient,
        therapy=therapy,
        other_name=(other_name or "").strip()[:120],
        started_year=started_year,
        stopped_year=stopped_year,
        recorded_by=user,
    )
    errors = _prior_therapy_errors(record)
    if errors:
        raise Refused(
            "The prior therapy was not recorded: " + _first(errors),
            code="invalid",
            field_errors=errors,
        )
    return save_by(record, user)


def _prior_therapy_errors(record: PriorTherapy) -> dict[str, str]:
    patient, errors = record.patient, {}
    if coded(patient.condition.code, record.therapy) is None:
        return {"therapy": f"Choose a therapy listed for {patient.condition}."}
    if record.therapy == OTHER and not record.other_name:
        errors["other_name"] = "Name the other therapy."
    earlier = PriorTherapy.objects.filter(patient=patient)
    if record.therapy == NONE and earlier.exists():
        errors["therapy"] = "Prior therapies are recorded already: remove them to say 'none'."
    elif record.therapy != NONE and earlier.filter(therapy=NONE).exists():
        errors["therapy"] = "'No prior therapy' is recorded already for this patient."
    elif record.therapy == NONE and (record.started_year or record.stopped_year):
        errors["started_year"] = "'No prior therapy' has no years."
    born = patient.date_of_birth.year if patient.date_of_birth else 1900
    this_year = site_time.today(patient.site).year
    for field in ("started_year", "stopped_year"):
        year = getattr(record, field)
        if year is not None and not born <= year <= this_year:
            errors[field] = f"Give a year from {born} to {this_year}."
    start, stop = record.started_year, record.stopped_year
    if start and stop and stop < start and "stopped_year" not in errors:
        errors["stopped_year"] = "The therapy stopped before it started."
    return errors


def _fact_errors(fact: PatientFact, values: dict) -> dict[str, str]:
    errors = {}
    if fact.kind not in PatientFact.Kind.values:
        return {"kind": f"Choose one of {', '.join(PatientFact.Kind.values)}."}
    if not isinstance(fact.on, dt.date):
        errors["on"] = "Give the date of the fact."
    elif fact.on > site_time.today(fact.patient.site):
        errors["on"] = "The date of a fact cannot be in the future."
    if not fact.provenance:
        errors["provenance"] = "Say which document or person the fact comes from."
    reader = {
        PatientFact.Kind.DIAGNOSIS: _diagnosis,
        PatientFact.Kind.LAB: _lab,
        PatientFact.Kind.ANSWER: _answer,
    }.get(fact.kind)
    if reader:
        errors.update(reader(fact, values))
    if not errors:
        try:
            fact.to_domain()
        except ValueError as error:  # UnitError is a ValueError
            errors["__all__"] = str(error)
    return errors


def _diagnosis(fact, values) -> dict[str, str]:
    fact.code = (values.get("code") or "").strip().upper()
    fact.label = (values.get("label") or "").strip()[:200]
    fact.resolved_on = values.get("resolved_on")
    if not ICD10.match(fact.code):
        return {"code": "Give an ICD-10 code such as C50.9 or I63."}
    if fact.resolved_on and isinstance(fact.on, dt.date) and fact.resolved_on < fact.on:
        return {"resolved_on": "A diagnosis cannot resolve before it starts."}
    return {}


def _lab(fact, values) -> dict[str, str]:
    fact.analyte = (values.get("analyte") or "").strip()
    fact.unit = (values.get("unit") or "").strip()
    fact.value = values.get("value")
    if fact.analyte not in eligibility.units.ANALYTES:
        return {"analyte": f"Choose one of {', '.join(eligibility.units.ANALYTES)}."}
    if not isinstance(fact.value, int | float) or fact.value != fact.value or fact.value < 0:
        return {"value": "Give the result as a number of at least 0."}
    try:
        eligibility.units.check_unit(fact.analyte, fact.unit)
    except eligibility.UnitError as error:
        return {"unit": str(error)}
    return {}


def _answer(fact, values) -> dict[str, str]:
    fact.question = values.get("question") or ""
    fact.yes = values.get("yes")
    if fact.question not in eligibility.QUESTIONS:
        return {"question": "Choose one of the screening questions."}
    if not isinstance(fact.yes, bool):
        return {"yes": "Answer yes or no."}
    return {}


@transaction.atomic
def screen_patient(patient, doctor, *, treatment_date: dt.date, source: str) -> Screening:
    """Run the current published rules on the patient's facts and record the evaluation."""
    check_actor(doctor, access.RECORD_ROLES, "screen a patient", site_id=patient.site_id)
    errors = {}
    if source not in SOURCES:
        errors["source"] = "Choose autologous or allogeneic cells."
    if not isinstance(treatment_date, dt.date):
        errors["treatment_date"] = "Give the planned treatment date."
    ruleset = evaluation.current_ruleset()
    if ruleset is None:
        raise Refused(
            "No rule set is published: publish one in the admin first.", code="no_ruleset"
        )
    if errors:
        raise Refused(
            "The patient was not screened: " + _first(errors), code="invalid", field_errors=errors
        )
    result = evaluation.run_rules(patient, ruleset, treatment_date=treatment_date, source=source)
    fields = evaluation.screening_fields(result)
    return save_by(Screening(patient=patient, doctor=doctor, ruleset=ruleset, **fields), doctor)


@records_wrong_passwords
@transaction.atomic
def sign_screening(
    screening: Screening, doctor, *, password: str, justifications: dict[str, str] | None = None
) -> ScreeningSignature:
    """Sign a decision; it becomes final when the required number of doctors have signed."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    check_actor(
        doctor, access.SIGN_ROLES, "sign a screening decision", site_id=screening.patient.site_id
    )
    if screening.ruleset_id is None:
        raise Refused(
            "This checklist screening was retired: screen the patient again.", code="retired"
        )
    if screening.is_final:
        raise Refused("This decision is already final.", code="already_final")
    if screening.decision == Screening.Decision.INCOMPLETE:
        needed = "; ".join(screening.needed) or "the facts the rules could not read"
        raise Refused(
            f"An incomplete decision cannot be signed: record the missing facts ({needed}) and "
            "screen the patient again.",
            code="incomplete_not_signable",
            params={"needed": needed},
        )
    if screening.signatures.filter(doctor=doctor).exists():
        raise Refused(
            "You already signed this decision: another doctor must sign it.",
            code="already_signed",
        )
    justifications = _check_justifications(screening, justifications or {})
    # The one e-signature service: password again (throttled), meaning, name, time, hash.
    sign(
        screening,
        doctor,
        password=password,
        meaning=Signature.Meaning.APPROVAL,
        content=screening_content(screening, justifications),
    )
    signature = save_by(
        ScreeningSignature(screening=screening, doctor=doctor, justifications=justifications),
        doctor,
    )
    if screening.signatures.count() >= evaluation.required_signatures():
        screening.finalized_at = timezone.now()
        save_by(screening, doctor)
        if screening.purpose == Screening.Purpose.PLANNING:
            notify_decision(screening)
    return signature


def _check_justifications(screening: Screening, given: dict[str, str]) -> dict[str, str]:
    given = {key: (text or "").strip() for key, text in given.items()}
    cautions = {r["rule_id"]: r["label"] for r in screening.cautions}
    errors = {}
    for rule in screening.results:
        if rule["rule_id"] in given and rule["kind"] != "caution":
            errors[f"justifications.{rule['rule_id']}"] = (
                f"“{rule['label']}” is an exclusion: it cannot be overridden."
            )
    for key in given.keys() - {r["rule_id"] for r in screening.results}:
        errors[f"justifications.{key}"] = f"“{key}” is not a rule of this screening."
    for rule_id, label in cautions.items():
        if not given.get(rule_id):
            errors[f"justifications.{rule_id}"] = (
                f"Write why the patient may be treated despite “{label}”."
            )
    if errors:
        raise Refused(
            "The decision was not signed: " + _first(errors),
            code="justification_needed",
            field_errors=errors,
        )
    return {rule_id: given[rule_id] for rule_id in cautions}


@transaction.atomic
def rescreen_on_admission(stay, user, *, on: dt.date | None = None) -> Screening:
    """Check the stay's fresh facts with the rule set version of the plan's final decision."""
    check_actor(user, access.FACT_ROLES, "screen a patient on the ward", site_id=stay.site_id)
    if not stay.is_open:
        raise Refused("This stay is closed: the patient was discharged.", code="stay_closed")
    base = stay.plan.screening
    if not base.is_final or base.ruleset_id is None:
        raise Refused(
            "The plan does not rest on a final screening decision.", code="plan_not_final"
        )
    screening = save_by(day_one_screening(stay, user, on=on or site_time.today(stay.site)), user)
    notify_day_one_block(screening)
    return screening


def day_one_screening(stay, user, *, on: dt.date) -> Screening:
    """Build (unsaved) the re-check of the plan's decision, naming what it did not have.

    A new exclusion stops administration; a new caution holds it until the doctors sign the
    re-check, each with a written justification, as they did for the plan's decision.
    """
    base = stay.plan.screening
    sources = evaluation.plan_sources(stay.plan)
    source = "autologous" if "autologous" in sources else "allogeneic"
    result = evaluation.run_rules(stay.patient, base.ruleset, treatment_date=on, source=source)
    fields = evaluation.screening_fields(result)
    was_met = {r["rule_id"] for r in base.results if r["outcome"] == "met"}
    new_met = [
        r for r in fields["results"] if r["outcome"] == "met" and r["rule_id"] not in was_met
    ]
    excluding = {"excludes"} | ({"excludes_harvest"} if source == "autologous" else set())
    return Screening(
        patient=stay.patient,
        doctor=user,
        ruleset=base.ruleset,
        purpose=Screening.Purpose.DAY_ONE,
        stay=stay,
        based_on=base,
        new_exclusions=[r["label"] for r in new_met if r["kind"] in excluding],
        new_cautions=[r["label"] for r in new_met if r["kind"] == "caution"],
        **fields,
    )


@transaction.atomic
def publish_ruleset(ruleset: RuleSet, user) -> RuleSet:
    """Publish a draft rule set: new screenings use it, decisions made keep theirs."""
    # Rule sets serve every site: no site to check, only the role.
    check_role(user, access.PUBLISH_ROLES, "publish rules")
    if ruleset.status == RuleSet.Status.PUBLISHED:
        raise Refused(
            f"Version {ruleset.version} is already published.",
            code="already_published",
            params={"version": ruleset.version},
        )
    try:
        ruleset.full_clean()
    except ValidationError as error:
        raise Refused(
            "The rule set was not published: " + "; ".join(error.messages),
            code="invalid_ruleset",
            params={"problems": "; ".join(error.messages)},
        ) from None
    ruleset.status = RuleSet.Status.PUBLISHED
    ruleset.published_at = timezone.now()
    ruleset.published_by = user
    return save_by(ruleset, user)


def _first(errors: dict[str, str]) -> str:
    return next(iter(errors.values()))
