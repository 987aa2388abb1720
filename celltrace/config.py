"""Read celltrace's configuration from the environment, strictly."""

import ipaddress
import logging
import os
import zoneinfo
from email.utils import parseaddr


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


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Return a comma-separated list of addresses or networks (10.0.0.5, 10.0.0.0/24)."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return networks


def is_time_zone(name: str) -> bool:
    """Tell whether the name is a time zone of the IANA database, e.g. Europe/Lisbon."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def env_time_zone(name: str, default: str) -> str:
    """Return a time zone name; refuse one the time zone database does not know."""
    value = env_str(name, default)
    if not is_time_zone(value):
        raise ConfigurationError(f"{name}={value!r} is not a time zone (e.g. Europe/Lisbon)")
    return value


def env_log_level(name: str, default: str) -> str:
    """Return a logging level name (DEBUG, INFO, WARNING, ERROR, CRITICAL)."""
    value = env_str(name, default).upper()
    if value not in logging.getLevelNamesMapping():
        raise ConfigurationError(f"{name}={value!r} is not a level (DEBUG, INFO, WARNING, ERROR)")
    return value


def env_email(name: str, default: str) -> str:
    """Return an e-mail address, bare or with a name ("Clinic <clinic@example.org>")."""
    value = env_str(name, default)
    if "@" not in parseaddr(value)[1]:
        raise ConfigurationError(f"{name}={value!r} is not an e-mail address")
    return value
