"""The safety section: who had adverse events, how often, how serious, and the clinic's claims.

Every treated patient is in the denominator. Patient-years run from the first administration
to the cut-off, or to the end of follow-up (death or withdrawal) when it came first: the
time in which an event would have been recorded. Proportions take the exact Clopper-Pearson
interval, rates the exact Poisson interval (Garwood 1936), both from statsmodels. Below
plan.small_cell treated patients the section shows counts only (REPORT.md): no proportion,
rate or interval, and no upper bound when there were no events either.
docs/clinical/outcome-report.md ("Safety") describes each key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from statsmodels.stats.rates import confint_poisson

from . import stats
from .inputs import DIED, AdverseEventRecord, ReportInputs, TreatedPatient
from .plan import AnalysisPlan

DAYS_PER_YEAR = 365.25
CTCAE_GRADES = (1, 2, 3, 4, 5)
# The WHO-UMC causality scale as the stays app records it, from least to most related.
RELATEDNESS = ("unrelated", "unlikely", "possible", "probable", "definite")
# How celltrace captures adverse events, and over what period (shown with the section).
CAPTURE = (
    "Adverse events recorded against the treatment stay, from the first administration; "
    "events after discharge are included only when recorded. The rate per 100 patient-years "
    "counts the events up to each patient's end of follow-up (the cut-off, death or "
    "withdrawal), the same period as its exposure; events recorded after a withdrawal are "
    "listed separately."
)
SUPPORTED, CONTRADICTED, INCONCLUSIVE, NO_DATA = (
    "supported", "contradicted", "inconclusive", "no_data"
)  # fmt: skip


def exact_proportion(k: int, n: int, small_cell: int) -> tuple[float | None, list | None]:
    """Return k/n and its exact (Clopper-Pearson) 95 % CI, both None when n < small_cell."""
    if n == 0 or n < small_cell:
        return None, None
    return k / n, stats.exact_ci95(k, n)


def exact_upper_bound_if_none(k: int, n: int, small_cell: int) -> float | None:
    """Return the one-sided 95 % exact upper bound of a proportion with no events (about 3/n)."""
    if k != 0 or n == 0 or n < small_cell:
        return None
    return stats.exact_upper95(0, n)


def exact_rate(events: int, exposure: float, *, per: float = 1.0):
    """Return events/exposure and its exact Poisson 95 % CI (Garwood 1936), scaled by `per`."""
    if exposure <= 0:
        return None, None
    low, high = confint_poisson(events, exposure, method="exact-c", alpha=0.05)
    return per * events / exposure, [per * float(low), per * float(high)]


def safety_section(inputs: ReportInputs, plan: AnalysisPlan, pseudonyms: dict[int, str]) -> dict:
    """Return the report's "safety" section for the treated patients of `inputs`."""
    patients = {p.patient_id: p for p in inputs.patients}
    events = [e for e in inputs.adverse_events if e.patient_id in patients]
    treated, small = len(patients), plan.small_cell
    with_event = len({e.patient_id for e in events})
    administrations = sum(p.administrations for p in patients.values())
    years = sum(_days_at_risk(p, inputs.cutoff) for p in patients.values()) / DAYS_PER_YEAR
    counted = treated >= small
    proportion, proportion_ci = exact_proportion(with_event, treated, small)
    per_administration, per_administration_ci = (
        exact_rate(len(events), administrations) if counted else (None, None)
    )
    in_follow_up = [e for e in events if _within_follow_up(e, patients[e.patient_id])]
    rate, rate_ci = exact_rate(len(in_follow_up), years, per=100) if counted else (None, None)
    return {
        "treated": treated,
        "patients_with_event": with_event,
        "patients_with_event_proportion": proportion,
        "patients_with_event_ci95": proportion_ci,
        "events": len(events),
        "administrations": administrations,
        "events_per_administration": per_administration,
        "events_per_administration_ci95": per_administration_ci,
        "patient_years": years,
        "rate_per_100_patient_years": rate,
        "rate_ci95": rate_ci,
        "events_in_follow_up": len(in_follow_up),
        "zero_events_upper95": _zero_event_bounds(len(events), treated, years, small),
        "capture": CAPTURE,
        "after_follow_up_end": [
            _listed(e, patients, pseudonyms) for e in events if e not in in_follow_up
        ],
        "by_grade": [
            _tally({"grade": g}, [e for e in events if e.grade == g]) for g in CTCAE_GRADES
        ],
        "by_seriousness": [
            _tally({"serious": s}, [e for e in events if e.serious == s]) for s in (True, False)
        ],
        "by_relatedness": _by_relatedness(events),
        "by_lot": _by_lot(events),
        "serious": _serious(events, patients, pseudonyms),
        "deaths": _deaths(events, patients, pseudonyms),
        "claims": [_claim(claim, events, treated, small) for claim in plan.safety_claims],
    }


def _within_follow_up(event: AdverseEventRecord, patient: TreatedPatient) -> bool:
    """An event counts in the rate only within the exposure: up to the follow-up end."""
    return patient.end is None or event.onset <= patient.end.on


def _listed(event: AdverseEventRecord, patients: dict, pseudonyms: dict[int, str]) -> dict:
    patient = patients[event.patient_id]
    return {
        "patient": pseudonyms[event.patient_id],
        "term": event.term,
        "grade": event.grade,
        "serious": event.serious,
        "day": (event.onset - patient.first_administration).days,
    }


def _days_at_risk(patient: TreatedPatient, cutoff: date) -> int:
    """Days from the first administration to the cut-off or the earlier end of follow-up."""
    end = min(cutoff, patient.end.on) if patient.end else cutoff
    return max((end - patient.first_administration).days, 0)


def _zero_event_bounds(events: int, treated: int, years: float, small: int) -> dict | None:
    """With no events, the one-sided 95 % exact upper bounds (None otherwise or too few)."""
    if events or treated == 0 or treated < small:
        return None
    rate_bound = None
    if years > 0:
        # The central 90 % interval's upper end is the one-sided 95 % bound: -ln(0.05) = 3.0.
        rate_bound = 100 * float(confint_poisson(0, years, method="exact-c", alpha=0.10)[1])
    return {
        "patients_with_event": exact_upper_bound_if_none(0, treated, small),
        "rate_per_100_patient_years": rate_bound,
    }


def _tally(key: dict, events: list[AdverseEventRecord]) -> dict:
    return {**key, "patients": len({e.patient_id for e in events}), "events": len(events)}


def _by_relatedness(events: list[AdverseEventRecord]) -> list[dict]:
    """Every WHO-UMC level in order (zeros kept), then any other recorded value."""
    others = sorted({e.relatedness for e in events} - set(RELATEDNESS))
    return [
        _tally({"relatedness": r}, [e for e in events if e.relatedness == r])
        for r in (*RELATEDNESS, *others)
    ]


def _by_lot(events: list[AdverseEventRecord]) -> list[dict]:
    """One row per lot code, then events not linked to a lot (lot null)."""
    codes = sorted({e.lot for e in events if e.lot})
    rows = [_tally({"lot": code}, [e for e in events if e.lot == code]) for code in codes]
    unlinked = [e for e in events if not e.lot]
    if unlinked:
        rows.append(_tally({"lot": None}, unlinked))
    return rows


def _day(event: AdverseEventRecord, patients: dict[int, TreatedPatient]) -> int:
    return (event.onset - patients[event.patient_id].first_administration).days


def _serious(events, patients, pseudonyms) -> list[dict]:
    """Every serious event, in order of the day after the first administration."""
    serious = sorted(
        (e for e in events if e.serious),
        key=lambda e: (_day(e, patients), pseudonyms[e.patient_id]),
    )
    return [
        {
            "patient": pseudonyms[e.patient_id],
            "term": e.term,
            "grade": e.grade,
            "day": _day(e, patients),
            "relatedness": e.relatedness,
            "outcome": e.outcome,
            "lot": e.lot or None,
        }
        for e in serious
    ]


def _deaths(events, patients, pseudonyms) -> list[dict]:
    """Every death: a grade-5 event, a follow-up that ended in death, or both."""
    fatal: dict[int, list[AdverseEventRecord]] = {}
    for event in sorted(events, key=lambda e: e.onset):
        if event.grade == 5:
            fatal.setdefault(event.patient_id, []).append(event)
    died = {pid for pid, p in patients.items() if p.end and p.end.reason == DIED}
    rows = [_death(patients[pid], fatal.get(pid, []), pseudonyms) for pid in fatal.keys() | died]
    return sorted(rows, key=lambda row: (row["day"], row["patient"]))


def _death(patient: TreatedPatient, fatal: list[AdverseEventRecord], pseudonyms) -> dict:
    ended = patient.end if patient.end and patient.end.reason == DIED else None
    on = ended.on if ended else fatal[0].onset
    sources = ["adverse_event"] * bool(fatal) + ["follow_up_end"] * bool(ended)
    return {
        "patient": pseudonyms[patient.patient_id],
        "day": (on - patient.first_administration).days,
        "cause": "; ".join(e.term for e in fatal) or (ended.detail if ended else ""),
        "relatedness": fatal[0].relatedness if fatal else None,
        "lot": (fatal[0].lot or None) if fatal else None,
        "recorded_as": sources,
    }


def _claim(claim: dict, events: Iterable[AdverseEventRecord], treated: int, small: int) -> dict:
    """Check one public claim: patients with any of its terms, against its maximum rate."""
    codes = set(claim["term_codes"])
    k = len({e.patient_id for e in events if e.term_code in codes})
    proportion, ci = exact_proportion(k, treated, small)
    return {
        "name": claim["name"],
        "text": claim["text"],
        "term_codes": sorted(codes),
        "max_rate": claim["max_rate"],
        "k": k,
        "n": treated,
        "proportion": proportion,
        "ci95": ci,
        "verdict": claim_verdict(ci, claim["max_rate"], treated),
    }


def claim_verdict(ci: list | None, max_rate: float, n: int) -> str:
    """Supported when the whole CI is at or below the claimed rate, contradicted when above.

    With no treated patients there is no data; with too few for an interval (n below the
    small-cell threshold) or an interval that straddles the claim, it is inconclusive.
    """
    if n == 0:
        return NO_DATA
    if ci is None:
        return INCONCLUSIVE
    if ci[1] <= max_rate:
        return SUPPORTED
    if ci[0] > max_rate:
        return CONTRADICTED
    return INCONCLUSIVE
