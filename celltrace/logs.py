"""Logging helpers: what the server log keeps about ordinary events."""

import logging

from django.core.exceptions import PermissionDenied


class PermissionRefusalWithoutTraceback(logging.Filter):
    """Log a refused permission as its one line: a 403 is an answer, not a fault in the code.

    Django's request logger attaches the PermissionDenied traceback to its "Forbidden" line;
    on a busy clinic that buries real errors under pages of refusals nobody needs to debug.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
