"""The one way an action says no: a clear reason, optionally per field, and nothing saved.

Each refusal carries a stable `code` and the `params` its text was made from, beside the
text itself, so screens, API clients and a later translation can tell refusals apart
without parsing English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django import forms


class Refused(Exception):
    """An action refused its input; the database is left as it was."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        params: dict[str, object] | None = None,
        field_errors: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = {key: str(value) for key, value in (params or {}).items()}
        self.field_errors = field_errors or {}

    def as_dict(self) -> dict:
        return {
            "detail": self.message,
            "code": self.code,
            "params": self.params,
            "errors": self.field_errors,
        }


class NotAllowed(Refused, PermissionDenied):
    """The user's role or site does not allow the action: a refusal, and a 403 wherever it ends."""


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
