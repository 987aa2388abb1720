"""When an outcome value may be recorded: baselines before treatment, follow-up after it.

A change from baseline means something only if the baseline was measured on or before the
first administration and the follow-up value after it (docs/clinical/outcomes.md).
"""

from datetime import date

BASELINE = "baseline"
FOLLOW_UP = "follow_up"


def timepoint_problem(
    timepoint: str, measured_on: date, first_treatment: date | None
) -> str | None:
    """Keep baselines before treatment and follow-up after it, or a change means nothing."""
    if timepoint == BASELINE and first_treatment and measured_on > first_treatment:
        return f"A baseline must be measured on or before the first treatment ({first_treatment})."
    if timepoint == FOLLOW_UP:
        if first_treatment is None:
            return "The patient has not been treated yet: record a baseline instead."
        if measured_on <= first_treatment:
            return (
                f"A follow-up value must be measured after the first treatment ({first_treatment})."
            )
    return None
