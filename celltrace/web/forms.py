"""What every screen's form does with an action's refusal."""

from collections.abc import Callable

from django import forms

from celltrace.refusal import Refused


def show_refusal(
    form: forms.Form, refusal: Refused, *, field_for: Callable[[str], str] = str
) -> None:
    """Put each reason on the field it names, and the rest above the form."""
    for key, message in refusal.field_errors.items():
        field = field_for(key)
        if field not in form.fields:
            form.add_error(None, message)
        elif field not in form.errors:  # the form's own check already said it
            form.add_error(field, message)
