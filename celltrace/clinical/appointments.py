"""Booking a check-up: at the clinic or remote, on a day inside the check-up's window.

A visit counts for its time point of the outcome report only inside the window (the
analysis plan's days, e.g. 3 months = day 60-120). A day outside it is sometimes the only
one a patient can travel: it may still be booked, with the reason, and is flagged so the
coordinator and the report's readers know that visit will count for no time point.
"""

from dataclasses import dataclass
from datetime import date

CLINIC = "clinic"
VIDEO = "video"
PHONE = "phone"
PLACES = (CLINIC, VIDEO, PHONE)
# A check-up is booked by its start. The time the clinic holds for it is an hour: exchanges
# that need an end (a FHIR Appointment that is booked must have one) count with this.
CHECKUP_MINUTES = 60


@dataclass(frozen=True)
class Booking:
    day: date  # the site's day of the appointment
    place: str
    link: str = ""  # the video call's address
    phone: str = ""  # the number the clinic calls
    outside_window_reason: str = ""


def in_window(day: date, *, opens: date | None, closes: date | None) -> bool:
    """Tell whether a day lies in the window, both ends included (no window: any day)."""
    return (opens is None or opens <= day) and (closes is None or day <= closes)


def booking_problems(
    booking: Booking, *, opens: date | None, closes: date | None, today: date
) -> dict[str, str]:
    """Return what is wrong with a booking, by field ({} when it may be booked)."""
    problems = {}
    if booking.day < today:
        problems["day"] = "An appointment is booked for a day to come, not a past one."
    if booking.place not in PLACES:
        problems["place"] = "Choose at the clinic, video call or phone call."
    elif booking.place == VIDEO and not booking.link.startswith(("https://", "http://")):
        problems["link"] = "A video appointment needs the call's link (https://...)."
    elif booking.place == PHONE and not booking.phone.strip():
        problems["phone"] = "A phone appointment needs the number to call."
    outside = not in_window(booking.day, opens=opens, closes=closes)
    if outside and not booking.outside_window_reason.strip():
        problems["outside_window_reason"] = (
            f"The day is outside the check-up's window ({opens:%Y-%m-%d} to "
            f"{closes:%Y-%m-%d}), where a visit counts for no time point: give the reason "
            "to book it anyway (it will be flagged)."
        )
    return problems
