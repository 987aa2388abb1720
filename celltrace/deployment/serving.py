"""What `celltrace serve` checks before it answers anyone: Django's deployment checks."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from celltrace.config import ConfigurationError


def check_deployment() -> None:
    """Refuse to serve on any warning of `check --deploy`, not only on its errors.

    A warning there is a hole in a real clinic (plain HTTP, no HSTS, cookies sent in the
    clear, a weak secret key): the documented production settings (README, "Running a
    clinic") raise none, so one means the settings are not those.
    """
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as error:
        raise ConfigurationError(
            f"refusing to serve: the deployment checks warn (README, 'The settings'):\n{error}"
        ) from None
