"""When the clinic reminds a patient of something due: a few days ahead, and until the day.

(Home-care doses are reminded the evening before their day: clinical/home_care.py.)
A reminder goes out once, on the first sweep inside its window: from `lead` days before
the due day up to the due day itself. A sweep that did not run for a while (the worker was
stopped) still reminds of what is due today, never of what is already past, which would
only confuse (the coordinator follows up overdue items by phone).
"""

from datetime import date, timedelta

ADMISSION_LEAD_DAYS = 3  # time to check the flight and the documents
CHECKUP_LEAD_DAYS = 14  # time to travel or find a doctor near home
APPOINTMENT_LEAD_DAYS = 3  # the booked day is agreed: a reminder shortly before it
QUESTIONNAIRE_LEAD_DAYS = 7


def is_reminder_due(due: date, today: date, *, lead_days: int) -> bool:
    """Tell whether today lies in the reminder window of something due on `due`."""
    return due - timedelta(days=lead_days) <= today <= due


def window(today: date, *, lead_days: int) -> tuple[date, date]:
    """Return the first and last due days whose reminders are due today."""
    return today, today + timedelta(days=lead_days)
