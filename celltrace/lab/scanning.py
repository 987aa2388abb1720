"""Find a lot from what a screen received: a typed code or a scanner's data string.

Every screen that takes a lot (the lab's, the cryostore's, the bedside) looks it up here,
so a label read one way at the lab reads the same way at the bedside. A scan is the DIN
barcode (`=` data string), the DIN typed with its check character (spaces allowed, as
printed), the DIN with K and a division for the part of a split product
(`X9991 26 000001 2 A0`), or the lab's own lot number; a misread or mistyped DIN is refused,
never taken for another lot.
"""

from celltrace.clinical import isbt128
from celltrace.lab.models import ProductLot
from celltrace.refusal import Refused

_OTHER_BARCODES = {
    "product_code": "the product code",
    "expiry": "the expiry date",
    "chain_of_identity": "the Chain of Identity",
}


def lot_from_scan(lots, text: str) -> ProductLot | None:
    """Return the lot of `lots` that `text` names, or None when none does.

    `lots` is a queryset the caller has already scoped (site, locking, related rows).
    Refuse a DIN whose check does not fit, and a barcode that names no lot.
    """
    try:
        scan = isbt128.read_scan(text)
    except isbt128.InvalidIdentifier as error:
        raise Refused(str(error), code="invalid_scan", params={"scan": text}) from None
    if not scan.value:
        return None
    if scan.kind in _OTHER_BARCODES:
        raise Refused(
            f"That barcode is {_OTHER_BARCODES[scan.kind]}: scan the DIN "
            "(the Donation Identification Number) of the lot.",
            code="not_a_lot_barcode",
            params={"scan": text},
        )
    if scan.kind == "din" and scan.division:
        return lots.filter(din=scan.value, division=scan.division).first()
    if scan.kind == "din":
        found = list(lots.filter(din=scan.value)[:2])
        if len(found) > 1:
            din = isbt128.Din(scan.value)
            raise Refused(
                f"DIN {scan.value} was split into divisions: type the lot number of the part, "
                f"or the DIN with K and the division ({din.eye_readable()} A0).",
                code="divided_lot",
                params={"din": scan.value},
            )
        return found[0] if found else None
    return lots.filter(code__iexact=scan.value).first()
