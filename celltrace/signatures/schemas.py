"""The electronic signature as every API body shows it: one schema for every signed record."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from celltrace.signatures.service import Shown, shown_signatures


class ElectronicSignatureOut(Schema):
    """One signature of the record (21 CFR 11.50): who, with what meaning, when, bound to what."""

    printed_name: str
    meaning: str
    meaning_label: str
    signed_at: dt.datetime = Field(description="In UTC")
    signed_at_local: dt.datetime = Field(description="At the site, in its time zone")
    time_zone: str
    record_hash: str = Field(description="SHA-256 of the record's canonical content at signing")
    matches: bool = Field(description="False when the record was changed after signing")
    state: str = Field(description="'matches the signed record' or 'changed after signing'")
    changed: list[str] = Field(description="Where the record changed, e.g. qc_results[2].value")


def signature_out(shown: Shown | None) -> ElectronicSignatureOut | None:
    """Return the shown signature as the API gives it (None stays None)."""
    if shown is None:
        return None
    return ElectronicSignatureOut(
        printed_name=shown.printed_name,
        meaning=shown.meaning,
        meaning_label=shown.meaning_label,
        signed_at=shown.signed_at_utc,
        signed_at_local=shown.signed_at_local,
        time_zone=shown.time_zone,
        record_hash=shown.record_hash,
        matches=shown.matches,
        state=shown.state,
        changed=list(shown.changed),
    )


def e_signatures_out(record, *, time_zone: str) -> list[ElectronicSignatureOut]:
    """Every signature of the record, oldest first, each checked against the record now."""
    return [signature_out(s) for s in shown_signatures(record, time_zone=time_zone)]
