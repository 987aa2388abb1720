"""Find what a store scan names: a lot (through the lab's one lot lookup) or a position."""

from celltrace.accounts.access import scope_to_site
from celltrace.cryostore.models import Container
from celltrace.lab.access import lots_for_user
from celltrace.lab.models import ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.refusal import Refused


def scanned_lot(user, text: str, *, field: str = "lot") -> ProductLot:
    """Return the lot of the user's site that the scan names, or refuse."""
    lot = lot_from_scan(lots_for_user(user), text)
    if lot is None:
        raise Refused(
            f"No lot {text.strip()!r} at your site.",
            code="unknown_lot",
            params={"lot": text},
            field_errors={field: "No such lot at your site."},
        )
    return lot


def scanned_container(user, text: str, *, field: str = "position") -> Container:
    """Return the container (a position, usually) of the user's site the scan names, or refuse."""
    code = (text or "").strip()
    if not code:
        raise Refused(
            "Scan the storage location's code.",
            code="invalid",
            field_errors={field: "Scan the storage location's code."},
        )
    containers = scope_to_site(Container.objects.select_related("site"), user)
    container = containers.filter(code__iexact=code).first() if code else None
    if container is None:
        raise Refused(
            f"No storage location {code!r} at your site.",
            code="unknown_location",
            params={"location": code},
            field_errors={field: "No such storage location at your site."},
        )
    return container
