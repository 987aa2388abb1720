"""Form pieces the instrument folders share, so that alike instruments read alike.

Value fields (`value_field`, `seconds_field`, `one_value`) for instruments whose form holds
the value itself; questionnaire items (`answer_field`, `refusing_bad_answers`) for those
scored item by item. The fields parse but never judge: a value out of range is refused by
the action against the Measure, and a blank or wrong answer reaches the engine and comes
back in the engine's words on the field it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms

from celltrace.clinical.item_scores import ItemError
from celltrace.outcomes.instruments.base import Measure, Measured
from celltrace.refusal import Refused


def value_field(measure: Measure, *, label: str | None = None, whole: bool = False, required=True):
    """A number field for one measure; its range is judged by the action, against the Measure.

    The widget carries the range for the browser, but the form does not refuse it, so the
    form, the API and a direct call of the action refuse a value out of range in one place
    and in the same words.
    """
    attrs = {"min": f"{measure.low:g}", "max": f"{measure.high:g}"}
    attrs["step"] = "1" if whole else ("any" if measure.step is None else f"{measure.step:g}")
    field = forms.IntegerField if whole else forms.FloatField
    return field(
        label=label or f"{measure.label} ({measure.unit})",
        required=required,
        widget=forms.NumberInput(attrs=attrs),
    )


def seconds_field(label: str, *, limit: float):
    """One completed timed trial in seconds; a trial stopped at the manual's limit is none."""
    return forms.FloatField(
        label=label,
        widget=forms.NumberInput(attrs={"min": "0", "max": f"{limit:g}", "step": "0.1"}),
        min_value=0.1,
        max_value=limit,
    )


def one_value(measure: Measure, field: str, *, details: dict | None = None):
    """A `score` for an instrument whose form holds the value itself."""

    def score(data: dict) -> list[Measured]:
        return [Measured(measure.code, float(data[field]), dict(details or {}))]

    return score


def answer_field(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    """Return one questionnaire item's field: its scores with their wording, or blank."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not answered"), *((score, f"{score}: {text}") for score, text in choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )


@contextmanager
def refusing_bad_answers(label: str) -> Iterator[None]:
    """Turn the engine's complaint about one item into a refusal naming that item."""
    try:
        yield
    except ItemError as error:
        raise Refused(
            f"The {label} cannot be scored.",
            code="invalid",
            field_errors={error.item: error.problem},
        ) from None
