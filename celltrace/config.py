"""Read celltrace's configuration from the environment, strictly."""

import os


class ConfigurationError(RuntimeError):
    """The environment holds a value celltrace cannot run with."""


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable's value, or the default when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value else default


def env_bool(name: str, *, default: bool) -> bool:
    """Return a yes/no variable; refuse anything that is not clearly yes or no."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name}={value!r} is not a yes/no value (use true or false)")


def env_int(name: str, *, default: int) -> int:
    """Return a whole-number variable; refuse anything else."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default
