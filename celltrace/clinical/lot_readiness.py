"""Will the lot be ready in time? The lab works to the admission date (DOMAIN section 4).

A lot still in process is at risk when its patient arrives within two days (QC takes
longer than that), or when it expires before the day its dose is planned: released or
not, it could not be given then.
"""

from collections.abc import Iterable
from datetime import date

# A lot not released this close to the admission is unlikely to pass QC in time.
ADMISSION_SOON_DAYS = 2


def lot_risks(
    *, admission: date, planned_days: Iterable[date], expires_on: date, today: date
) -> list[str]:
    """Return why an in-process lot may not be ready for its patient (empty: on track).

    `planned_days` are the days the lot's product is planned in the plan, not given yet;
    `expires_on` is the lot's expiry day at the site. A lot no dose waits for any more
    (every planned dose of its product was given) is at no risk.
    """
    first = min(planned_days, default=None)
    if first is None:
        return []
    risks = []
    days_left = (admission - today).days
    if days_left < 0:
        risks.append(f"The patient was admitted on {admission} and the lot is not released.")
    elif days_left <= ADMISSION_SOON_DAYS:
        when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
        risks.append(f"Admission {when} ({admission}) and the lot is not released.")
    if expires_on < first:
        risks.append(f"Expires on {expires_on}, before the dose planned on {first}.")
    return risks
