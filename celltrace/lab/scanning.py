"""Find a lot from what a screen received: a typed code or a scanner's data string.

Every screen that takes a lot (the lab's, the cryostore's, the bedside) looks it up here,
so a label read one way at the lab reads the same way at the bedside.
"""

from celltrace.lab.models import ProductLot


def lot_from_scan(lots, text: str) -> ProductLot | None:
    """Return the lot of `lots` that `text` names, or None.

    `lots` is a queryset the caller has already scoped (site, locking, related rows).
    """
    text = (text or "").strip()
    if not text:
        return None
    return lots.filter(code__iexact=text).first()
