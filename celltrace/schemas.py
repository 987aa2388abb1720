"""API schemas every router shares: how a refusal looks to an API client, and a time."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A time sent without its offset is read in the clinic's time zone, so no action ever gets a
# naive time from the API.
AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]


class RefusalOut(Schema):
    """An action's refusal: the reason, its stable code and parameters, and per-field reasons."""

    detail: str
    code: str
    params: dict[str, str] = {}
    errors: dict[str, str] = {}
