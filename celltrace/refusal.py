"""The one way an action says no: a clear reason, optionally per field, and nothing saved."""


class Refused(Exception):
    """An action refused its input; the database is left as it was."""

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def as_dict(self) -> dict:
        return {"detail": self.message, "errors": self.field_errors}
