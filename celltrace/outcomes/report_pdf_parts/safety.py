"""Section 8, safety: harms counted against everyone treated, every serious event listed."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from celltrace.outcomes.report_pdf_parts.cells import (
    DASH,
    cell,
    estimate,
    number,
    proportion,
    table,
    text,
)

BREAKDOWNS = (
    ("by_grade", "By CTCAE grade"),
    ("by_seriousness", "By seriousness"),
    ("by_relatedness", "By relatedness to the treatment"),
    ("by_lot", "By product lot"),
)
SERIOUS = ("patient", "term", "grade", "day", "relatedness", "outcome", "lot")


def safety_section(report: dict, style) -> list:
    safety = report.get("safety") or {}
    small = report["rules"]["small_cell"]
    treated = safety.get("treated")
    with_event = {"k": safety.get("patients_with_event"), "n": treated,
                  "ci95": safety.get("patients_with_event_ci95")}  # fmt: skip
    lines = [
        *(
            [f"How adverse events were captured: {safety['capture']}"]
            if safety.get("capture")
            else []
        ),
        "Patients with at least one adverse event / treated (exact 95 % CI): "
        + proportion(with_event, small),
        f"Events / administrations: {number(safety.get('events'))}/"
        f"{number(safety.get('administrations'))}; per administration (exact Poisson 95 % CI): "
        + estimate(
            safety.get("events_per_administration"),
            safety.get("events_per_administration_ci95"),
            treated,
            small,
            3,
        ),
        "Events per 100 patient-years (exact Poisson 95 % CI): "
        + estimate(safety.get("rate_per_100_patient_years"), safety.get("rate_ci95"), None, small)
        + f", over {number(safety.get('patient_years'))} patient-years",
    ]
    later = safety.get("after_follow_up_end") or []
    if later:
        lines.append(
            f"Events after the end of follow-up (listed, not in the rate): {len(later)}: "
            + "; ".join(
                f"{e['patient']} {e['term']} (grade {e['grade']}, day {e['day']})" for e in later
            )
        )
    bounds = safety.get("zero_events_upper95")
    if bounds:
        line = (
            f"No adverse event in {treated} patients: the share of patients with one may still "
            f"be up to {bounds['patients_with_event'] * 100:.1f} %"
        )
        if bounds.get("rate_per_100_patient_years") is not None:
            line += (
                f", and the rate up to {bounds['rate_per_100_patient_years']:.1f} events per 100 "
                "patient-years"
            )
        lines.append(line + " (one-sided exact 95 % upper bounds, about 3/n).")
    story = [Paragraph(text(line), style["body"]) for line in lines]
    for key, title in BREAKDOWNS:
        rows = safety.get(key) or []
        if rows:
            keys = list(dict.fromkeys(k for row in rows for k in row))
            story.append(Paragraph(text(title), style["subheading"]))
            story.append(table(keys, [[cell(row.get(k)) for k in keys] for row in rows], style))
    story.append(Paragraph("Every serious adverse event", style["subheading"]))
    serious = [[cell(event.get(k)) for k in SERIOUS] for event in safety.get("serious") or []]
    story.append(table(SERIOUS, serious, style))
    deaths = safety.get("deaths") or []
    story.append(Paragraph("Every death", style["subheading"]))
    keys = list(dict.fromkeys(k for row in deaths for k in row)) or ["patient", "day"]
    story.append(table(keys, [[cell(row.get(k)) for k in keys] for row in deaths], style))
    claims = [
        (c["text"], proportion(c, small), c.get("verdict") or DASH)
        for c in safety.get("claims") or []
    ]
    if claims:
        story.append(Paragraph("The clinic's public claims, checked", style["subheading"]))
        story.append(table(("Claim", "Observed (95 % CI)", "Verdict"), claims, style, (55, 60, 65)))
    return story
