"""Load the coded adverse event terms (adverse_event_terms.json) into AdverseEventTerm rows.

The terms come with the migrations, like the starting rule set; the loader runs again where a
flush removed them (the demo's --reset, tests on a transactional database). A term the clinic
already has is kept as it is: staff may have made it inactive.
"""

import json
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parent / "adverse_event_terms.json"
FIELDS = ("term", "meddra_code", "soc")


def coded_terms() -> list[dict]:
    """Return the terms of the data file: code, term, meddra_code, soc."""
    data = json.loads(TERMS_FILE.read_text(encoding="utf-8"))
    return [{"code": t["code"], **{f: t[f] for f in FIELDS}} for t in data["terms"]]


def load_adverse_event_terms(model=None) -> None:
    """Create the terms the clinic does not have yet (model: the migration's historical one)."""
    if model is None:
        from celltrace.catalog.models import AdverseEventTerm as model
    have = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create([model(**term) for term in coded_terms() if term["code"] not in have])
