"""API schemas every router shares: how a refusal and an error look to an API client, and a time."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, WithJsonSchema


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A time sent without its offset is read in the clinic's time zone, so no action ever gets a
# naive time from the API.
AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]


def _without_offset(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("A time of day at the site has no offset: send e.g. 10:00.")
    return value


# A time of day at the site (a planned dose's time): no offset, the site's zone is implied.
# JSON Schema's "time" format requires an offset, so the schema says what is really sent.
LocalTime = Annotated[
    dt.time,
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "A time of day at the site, without offset: HH:MM or HH:MM:SS",
            "examples": ["10:00"],
        }
    ),
]


class RefusalOut(Schema):
    """An action's refusal: the reason, its stable code and parameters, and per-field reasons."""

    detail: str
    code: str
    params: dict[str, str] = {}
    errors: dict[str, str] = {}
    # The bedside gate's refusal (code bedside_gate) lists each of its reasons.
    reasons: list[str] = []


class ErrorOut(Schema):
    """Any other error (not signed in, not allowed, not found): the reason, and a code if any.

    A refusal by an action (NotAllowed, a 403) has the refusal's fields too.
    """

    detail: str
    code: str = ""
    params: dict[str, str] = {}
    errors: dict[str, str] = {}


class InputErrorOut(Schema):
    """One way the input does not fit the endpoint's schema, as pydantic names it."""

    model_config = ConfigDict(extra="allow")

    type: str
    loc: list[str | int]
    msg: str


class InvalidInputOut(Schema):
    """The input does not fit the endpoint's schema: every problem found, nothing done."""

    detail: list[InputErrorOut]
