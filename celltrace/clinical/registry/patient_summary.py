"""The patient summary: the report's own numbers in plain words, harms beside benefits.

Every number comes from the report dict, so the summary can never say more than the report.
Results are given as "x out of y people", never as a bare percentage; there is no single
success rate; it says what a registry without a comparison group cannot tell and that the
figures do not predict any one patient's result. Scales are explained where they are named.
The word "significant" never appears (REPORT.md): patient_summary refuses text holding it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Each measure named with what it is and which way is better, for a reader without training.
PLAIN_MEASURES = {
    "edss": "the EDSS, a disability scale for MS from 0 (no disability) to 10, where a higher "
    "score means more disability",
    "t25fw": "the timed 25-foot walk, the seconds it takes to walk about 7.5 metres "
    "(a shorter time is better)",
    "nhpt": "the 9-hole peg test, the seconds it takes to put 9 pegs in holes and take them "
    "out again (a shorter time is better)",
    "sdmt": "the symbol digit test, a test of thinking speed (more correct answers is better)",
    "msis29_physical": "the MSIS-29 physical score, a questionnaire on how MS affects "
    "everyday physical life, from 0 to 100 (a lower score is better)",
    "msis29_psychological": "the MSIS-29 psychological score, a questionnaire on how MS "
    "affects mood and wellbeing, from 0 to 100 (a lower score is better)",
    "isncsci_motor": "the motor score of the spinal cord examination, the strength of 10 key "
    "muscles on each side, from 0 to 100 (a higher score is better)",
    "ais": "the AIS grade, which sorts a spinal cord injury from A (no feeling or movement "
    "below the injury) to E (normal feeling and movement)",
    "scim3": "the SCIM III, a score of independence in daily activities from 0 to 100 "
    "(a higher score is better)",
    "pain": "pain, rated by the person from 0 (no pain) to 10 (the worst pain)",
    "updrs3": "the MDS-UPDRS part III, a doctor's examination of movement in Parkinson's "
    "disease, from 0 to 132 (a lower score is better)",
    "pdq39": "the PDQ-39, a questionnaire on everyday life with Parkinson's disease, "
    "from 0 to 100 (a lower score is better)",
    "hba1c": "HbA1c, a blood test of the average blood sugar over the last 2 to 3 months "
    "(lower is better)",
    "egfr": "eGFR, a blood-test estimate of how well the kidneys clean the blood "
    "(higher is better)",
    "uacr": "the urine albumin-creatinine ratio, how much protein leaks into the urine "
    "(lower is better)",
    "eq5d5l": "the EQ-5D-5L, a short questionnaire on overall health (higher is better)",
}
PLAIN_EVENTS = {
    "confirmed_disability_worsening": "disability getting worse on the EDSS (a disability "
    "scale for MS) and staying worse at a check-up at least 12 weeks later",
    "ms_neda3_loss": "a first sign of MS activity (a relapse, a new or active spot on an MRI "
    "scan, or disability getting worse and staying worse for 12 weeks)",
}
SEVERITY = {1: "mild", 2: "moderate", 3: "severe", 4: "life-threatening"}
VERDICTS = {
    "supported": "The records agree with this, even allowing for chance.",
    "contradicted": "The records show more than this, even allowing for chance.",
    "inconclusive": "There are not yet enough records to confirm or rule this out.",
    "no_data": "There are no records to check this against yet.",
}
COMPARISONS = {
    "higher than expected": "The result here is above the published range.",
    "lower than expected": "The result here is below the published range.",
    "overlaps the expected range": "The result here could be the same as the published one.",
    "too few patients to compare": "Too few people have been assessed here to compare.",
}
FORBIDDEN = ("significant", "%")


@dataclass(frozen=True, slots=True)
class PatientSummary:
    title: str
    paragraphs: tuple[str, ...]


def patient_summary(report: dict) -> PatientSummary:
    """Write the report's numbers for patients and families; ValueError on a forbidden word."""
    small = report["rules"]["small_cell"]
    paragraphs = [
        _introduction(report),
        _cannot_tell(),
        _follow_up(report["timepoints"]),
        *_benefits(report["outcomes"], small),
        *(_time_to_event(t) for t in report["time_to_event"]),
        *(_benchmark(b) for b in report["benchmarks"]),
        _harms(report["safety"]),
        *(_claim(c) for c in report["safety"]["claims"]),
        "These figures describe the people treated so far. They do not predict any one "
        "patient's result: ask your doctor what they may mean for you.",
    ]
    title = f"What the records show so far: people treated for {report['condition']['name']}"
    if report["synthetic"]:
        title += " (made-up demonstration data)"
    for text in (title, *paragraphs):
        _refuse_forbidden(text)
    return PatientSummary(title, tuple(paragraphs))


def _refuse_forbidden(text: str) -> None:
    for word in FORBIDDEN:
        if word in text.lower():
            raise ValueError(f"The patient summary may not say {word!r}: {text!r}")


def _introduction(report: dict) -> str:
    treated = report["flow"]["treated"]
    cutoff = report["cutoff"]
    on = date.fromisoformat(cutoff) if isinstance(cutoff, str) else cutoff
    text = (
        f"This summary describes the people treated for {report['condition']['name']} "
        f"whose records the clinic holds up to {on.day} {on:%B %Y}: {treated} in all."
    )
    if report["synthetic"]:
        text = (
            "These figures come from made-up demonstration records (synthetic data), "
            "not from real patients. " + text
        )
    if treated and treated < report["rules"]["small_cell"]:
        text += (
            " This is a small group, so only counts are given: averages of so few people "
            "can mislead."
        )
    return text


def _cannot_tell() -> str:
    return (
        "What these figures cannot tell you: everyone here chose to be treated, and there was "
        "no comparison group of similar people who were not treated. So the figures cannot "
        "show whether the treatment caused any change. Health can change on its own, with "
        "the hope of getting better (the placebo effect), or with rehabilitation and other "
        "treatment."
    )


def _follow_up(timepoints: list[dict]) -> str:
    parts = []
    for tp in timepoints:
        if tp["due"]:
            part = (
                f"at {tp['name']}, {_out_of(tp['assessed'], tp['due'])} due for a check-up had one"
            )
        else:
            part = f"at {tp['name']}, nobody was due for a check-up yet"
        gone = [
            f"{tp['withdrawn']} had left the follow-up" if tp["withdrawn"] else "",
            f"{tp['died']} had died" if tp["died"] else "",
            f"{tp['not_yet_due']} had not reached this time yet" if tp["not_yet_due"] else "",
        ]
        if any(gone):
            part += " (" + ", ".join(g for g in gone if g) + ")"
        parts.append(part)
    if not parts:
        return "No check-ups after treatment are recorded yet."
    return "How many people were followed up after treatment: " + "; ".join(parts) + "."


def _benefits(outcomes: list[dict], small: int) -> list[str]:
    """One paragraph per measure, its time points in the plan's order."""
    by_measure: dict[str, list[dict]] = {}
    for row in outcomes:
        by_measure.setdefault(row["instrument"], []).append(row)
    return [_measure(rows, small) for rows in by_measure.values()]


def _measure(rows: list[dict], small: int) -> str:
    first = rows[0]
    name = PLAIN_MEASURES.get(first["instrument"], f"a measure called {first['label']}")
    classified = first["mcid"]["kind"] != "none"
    text = f"Results on {name}. "
    if not classified:
        text += (
            "There is no agreed size of change on this measure that matters to patients, so "
            "results are not sorted into better or worse here. "
        )
    sentences = [_measure_at(row, classified) for row in rows]
    text += " ".join(sentences)
    if any(0 < row["n"] < small for row in rows):
        text += f" Where fewer than {small} people had results, only counts are given."
    return text


def _measure_at(row: dict, classified: bool) -> str:
    """Improvement out of everyone due, with the bounds the missing results leave open.

    Counting only the people with a result hides those who missed the visit, left or
    died; the report's worst and best case share one denominator, the dead included.
    """
    n, timepoint = row["n"], row["timepoint"]
    responders = row["responders"]
    if not classified or row["improved"] is None or responders is None:
        if n == 0:
            return f"At {timepoint}, nobody had a result before and after treatment yet."
        return f"At {timepoint}, {_people(n)} had a result before and after treatment."
    worst, best = responders["worst_case"], responders["best_case"]
    due, k = worst["n"], worst["k"]
    if not due:
        return f"At {timepoint}, nobody was due for a check-up yet."
    unknown = best["k"] - k  # no result, or a result the threshold cannot judge
    judged_not = row.get("not_classifiable") or 0
    died = worst.get("non_responders", {}).get("died", 0)
    text = (
        f"At {timepoint}, {k} out of the {_people(due)} due improved by at least "
        f"{_mcid_words(row['mcid'])}; {unknown - judged_not} of them had no result"
        + (f" and {died} had died before it (counted as not improved)." if died else ".")
    )
    if n:
        text += (
            f" Of the {n} with a result, {row['no_clear_change']} had no clear change and "
            f"{row['worsened']} got worse by at least that much."
        )
    if judged_not:
        text += (
            f" For {judged_not}, the change could not be judged: the threshold is a share "
            "of the starting score, and it was 0."
        )
    if unknown:
        text += (
            f" So, whatever the missing results were: at least {k} out of {due} improved "
            f"(if none of those without a result did), and at most {best['k']} out of {due} "
            "(if all of them did)."
        )
    return text


def _mcid_words(mcid: dict) -> str:
    """The smallest change that matters, in the plan's words (a share written as "per cent")."""
    words = mcid["text"].replace(" %", " per cent").replace("%", " per cent")
    return f"the smallest change that matters to patients ({words})"


def _time_to_event(entry: dict) -> str:
    name = PLAIN_EVENTS.get(entry["name"], entry["label"].lower())
    if not entry["patients"]:
        return f"Nobody has a score from before treatment yet, so {name} cannot be counted."
    return (
        f"Over the time each person has been followed so far, {name} happened to "
        f"{_out_of(entry['events'], entry['patients'])} with a score from before treatment. "
        "People have been followed for different lengths of time, so this may still change."
    )


def _benchmark(entry: dict) -> str:
    observed, expected = entry["observed"], entry["expected"]
    text = f"For comparison with published studies ({entry['label']}): "
    if "low" in expected:
        text += (
            f"here, {_out_of(observed['k'], observed['n'])} assessed at {observed['timepoint']} "
            f"reached a better grade; published studies found this in between "
            f"{_per_hundred(expected['low'])} and {_per_hundred(expected['high'])} "
            "out of every 100 people. "
        )
    else:
        text += (
            f"here, {_people(observed['n'])} had a result at {observed['timepoint']}; "
            f"{_mean_with_range(observed)}in published studies the average change after a "
            f"sham (pretend) operation was {_mean_with_range(expected).removesuffix('; ')}. "
        )
    return text + COMPARISONS[entry["comparison"]]


def _mean_with_range(part: dict) -> str:
    """An average change only with its likely range (the 95 in 100 interval), else nothing."""
    mean, ci95 = part.get("mean_change"), part.get("ci95")
    if mean is None or ci95 is None:
        return ""
    return (
        f"the average change was {mean:+.1f} points (likely between {ci95[0]:+.1f} and "
        f"{ci95[1]:+.1f}); "
    )


def _harms(safety: dict) -> str:
    """Side effects with the same weight as the benefits: all of them, in counts."""
    n = safety["treated"]
    if not n:
        return "Nobody has been treated yet, so no side effects can be reported."
    text = (
        "Side effects and other health problems after treatment (called adverse events): "
        f"{_out_of(safety['patients_with_event'], n)} treated had at least one; "
        f"{safety['events']} were recorded in all, after {safety['administrations']} "
        "treatments given."
    )
    grades = {row["grade"]: row["patients"] for row in safety["by_grade"]}
    levels = "; ".join(f"{word}: {grades.get(g, 0)}" for g, word in SEVERITY.items())
    text += (
        f" People with at least one problem that was {levels} (one person can be counted at "
        "more than one level)."
    )
    serious_people = len({row["patient"] for row in safety["serious"]})
    text += (
        f" {_out_of(serious_people, n)} had a serious one (for example one that "
        "needed a hospital stay or put life at risk)."
    )
    deaths = len(safety["deaths"])
    text += (
        f" {_out_of(deaths, n)} died during follow-up."
        if deaths
        else " No one died during follow-up."
    )
    return text + (
        " The full report lists every serious problem and death, and whether the doctors "
        "thought it may be linked to the treatment."
    )


def _claim(claim: dict) -> str:
    said = (
        f"The clinic has said that {claim['name']} happens to no more than "
        f"{_per_hundred(claim['max_rate'])} out of every 100 people treated."
    )
    found = f" In these records, {_out_of(claim['k'], claim['n'])} had it." if claim["n"] else ""
    return f"{said}{found} {VERDICTS[claim['verdict']]}"


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _out_of(k: int, n: int) -> str:
    return f"{k} out of {_people(n)}"


def _per_hundred(rate: float) -> str:
    """A rate as a count out of 100, e.g. 0.02 -> '2', 0.055 -> '5.5'."""
    return f"{100 * rate:.1f}".removesuffix(".0")


def quoted_numbers(report: dict) -> dict:
    """The report's numbers the summary quotes, kept beside its text when it is published.

    Counts only: a serious event or a death is counted, never named by its pseudonym, so a
    publication holds nothing about any one patient.
    """
    safety = report["safety"]
    return {
        "treated": report["flow"]["treated"],
        "timepoints": [
            _pick(tp, "name", "due", "assessed", "withdrawn", "died", "not_yet_due")
            for tp in report["timepoints"]
        ],
        "outcomes": [
            _pick(row, "instrument", "timepoint", "n", "improved", "no_clear_change", "worsened")
            for row in report["outcomes"]
        ],
        "time_to_event": [_pick(t, "name", "patients", "events") for t in report["time_to_event"]],
        "benchmarks": [
            {
                "name": b["name"],
                "observed": _pick(b["observed"], "k", "n", "mean_change"),
                "expected": _pick(b["expected"], "low", "high", "mean_change"),
                "comparison": b["comparison"],
            }
            for b in report["benchmarks"]
        ],  # fmt: skip
        "safety": {
            **_pick(safety, "treated", "patients_with_event", "events", "administrations"),
            "by_grade": {str(row["grade"]): row["patients"] for row in safety["by_grade"]},
            "patients_with_serious_event": len({row["patient"] for row in safety["serious"]}),
            "deaths": len(safety["deaths"]),
        },
        "claims": [_pick(c, "name", "max_rate", "k", "n", "verdict") for c in safety["claims"]],
    }


def _pick(entry: dict, *keys: str) -> dict:
    return {key: entry[key] for key in keys if key in entry}
