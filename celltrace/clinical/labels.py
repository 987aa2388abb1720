"""What a cellular therapy product's labels say (ICCBBA ST-001; 21 CFR 1271.90, 1271.250, .370).

Framework-free: `container_label` and `partial_label` take the plain facts of one lot and
return every line a person reads and every data string a scanner reads, so the content is
tested here without a PDF and the printer layout only places it. Every data string comes
from `isbt128`, so a printed label scans the same way the lab and the bedside read it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from celltrace.clinical import isbt128

AUTOLOGOUS_STATEMENT = "FOR AUTOLOGOUS USE ONLY"
IDENTIFY_STATEMENT = "Properly identify intended recipient and product"
NOT_ALLOCATED = "Not allocated to a recipient"
NOT_FORMULATED = "not yet formulated"
# ST-001 collection types: 1 = for autologous use only, V = volunteer allogeneic donor.
AUTOLOGOUS_COLLECTION, ALLOGENEIC_COLLECTION = "1", "V"


@dataclass(frozen=True, slots=True)
class LotFacts:
    """The facts of one lot a label shows, read from the records."""

    din: str
    division: str
    product_name: str
    product_description_code: str
    autologous: bool
    donor_status: str  # printed instead of the autologous statement for donor products
    recipient_name: str | None
    recipient_id: str | None
    collected_at: dt.datetime  # aware
    expires_at: dt.datetime  # aware
    time_zone: str  # the processing site's, e.g. Europe/Lisbon
    volume_ml: float | None
    storage_temperature: str
    facility_name: str
    fin: str


@dataclass(frozen=True, slots=True)
class ContainerLabel:
    """Everything a container label prints: eye-readable lines and barcode data strings."""

    din: str  # grouped, without K: `X9991 26 000001`
    check_character: str  # K, printed boxed beside the DIN, never in a barcode
    din_data: str  # Code 128
    product_name: str
    product_code: str  # eye-readable: description code, collection type, division
    product_code_data: str  # Code 128
    use_statement: str
    recipient: str
    collected: str
    expires: str  # local date and time with the site's zone
    expires_utc: str  # the same moment in UTC, beneath it
    expiry_data: str  # Code 128, local time as ST-001 asks
    volume: str
    storage: str
    facility: str
    identify_statement: str
    datamatrix_data: str  # compound message: DIN, product code, expiry

    def lines(self) -> list[str]:
        """Every eye-readable line, top to bottom, as printed."""
        return [
            f"{self.din} {self.check_character}",
            self.product_name,
            self.product_code,
            self.use_statement,
            self.recipient,
            self.collected,
            self.expires,
            self.expires_utc,
            self.volume,
            self.storage,
            self.facility,
            self.identify_statement,
        ]


@dataclass(frozen=True, slots=True)
class PartialLabel:
    """A small container's label: identifier, product and recipient, and the DIN barcode."""

    din: str
    check_character: str
    din_data: str  # Code 128
    product_name: str
    recipient: str

    def lines(self) -> list[str]:
        return [f"{self.din} {self.check_character}", self.product_name, self.recipient]


def _din(facts: LotFacts) -> isbt128.Din:
    return isbt128.parse_din(facts.din)


def _grouped(din: isbt128.Din) -> str:
    return f"{din.fin} {din.year} {din.sequence}"


def recipient_line(facts: LotFacts) -> str:
    """The intended recipient's name and patient ID, or that the lot has none yet."""
    if not facts.recipient_name:
        return NOT_ALLOCATED
    return f"Recipient: {facts.recipient_name}, ID {facts.recipient_id}"


def local_and_utc(moment: dt.datetime, time_zone: str) -> tuple[str, str]:
    """The moment in the site's zone, ISO 8601 and 24-hour, named; and the same in UTC."""
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    utc = moment.astimezone(dt.UTC)
    return f"{local:%Y-%m-%d %H:%M} {time_zone} ({offset})", f"{utc:%Y-%m-%d %H:%M} UTC"


def volume_line(volume_ml: float | None) -> str:
    if volume_ml is None:
        return f"Volume: {NOT_FORMULATED}"
    return f"Volume: {volume_ml:g} mL"


def container_label(facts: LotFacts) -> ContainerLabel:
    """Build the container label of a lot; raise InvalidIdentifier for a malformed code."""
    din = _din(facts)
    collection = AUTOLOGOUS_COLLECTION if facts.autologous else ALLOGENEIC_COLLECTION
    code_data = isbt128.product_code_data(
        facts.product_description_code, collection, facts.division
    )
    zone = zoneinfo.ZoneInfo(facts.time_zone)
    expiry_data = isbt128.expiry_data(facts.expires_at.astimezone(zone))
    expires, expires_utc = local_and_utc(facts.expires_at, facts.time_zone)
    collected, _ = local_and_utc(facts.collected_at, facts.time_zone)
    return ContainerLabel(
        din=_grouped(din),
        check_character=din.check_character,
        din_data=din.data_string(),
        product_name=facts.product_name,
        product_code=f"Product code {code_data[2:]}, division {facts.division}",
        product_code_data=code_data,
        use_statement=AUTOLOGOUS_STATEMENT if facts.autologous else facts.donor_status,
        recipient=recipient_line(facts),
        collected=f"Collected {collected}",
        expires=f"EXPIRES {expires}",
        expires_utc=f"= {expires_utc}",
        expiry_data=expiry_data,
        volume=volume_line(facts.volume_ml),
        storage=f"Store at {facts.storage_temperature}",
        facility=f"Processed by {facts.facility_name}, FIN {facts.fin}",
        identify_statement=IDENTIFY_STATEMENT,
        datamatrix_data=isbt128.compound_message(din.data_string(), code_data, expiry_data),
    )


def partial_label(facts: LotFacts) -> PartialLabel:
    """Build the partial label of a lot's small container (a syringe, a vial)."""
    din = _din(facts)
    return PartialLabel(
        din=_grouped(din),
        check_character=din.check_character,
        din_data=din.data_string(),
        product_name=facts.product_name,
        recipient=recipient_line(facts),
    )
