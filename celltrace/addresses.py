"""The visitor's address, as the clinic's own reverse proxy reports it."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """Return the address the request came from: the visitor's, not the clinic's proxy's.

    The direct peer is believed; it may name an earlier hop in X-Forwarded-For only when it
    is one of settings.TRUSTED_PROXIES. Proxies append, so the list is read from the right:
    the first address that is not a trusted proxy is the visitor. Entries to its left were
    written by the visitor and could be anything.
    """
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    while address is not None and _is_trusted_proxy(address) and hops:
        earlier = _parse(hops.pop())
        if earlier is None:
            break  # garbled: keep the last address a trusted proxy vouched for
        address = earlier
    return None if address is None else str(address)


def _parse(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack server sees IPv4 visitors as ::ffff:a.b.c.d; count them as IPv4.
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted_proxy(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)
