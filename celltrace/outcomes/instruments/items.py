"""What the questionnaire plug-ins share: an item's form field and the engine's refusal.

The fields parse but never judge (none is required), so a blank or wrong answer reaches the
engine and comes back in the engine's words on the field it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms

from celltrace.clinical.item_scores import ItemError
from celltrace.refusal import Refused


def answer_field(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    """Return one item's field: its scores with their wording, or blank."""
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
