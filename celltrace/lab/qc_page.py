"""What the lot page shows of QC release: every result with its investigation, exceptional
release records and alerts, and the forms each role may use (lab/_qc_release.html)."""

from celltrace.accounts.access import has_role
from celltrace.lab.access import (
    EXCEPTIONAL_RELEASERS,
    INVESTIGATORS,
    LOT_MAKERS,
    LOT_REVIEWERS,
)
from celltrace.lab.forms import (
    AcceptanceForm,
    AcknowledgeAlertForm,
    CloseInvestigationForm,
    ExceptionalReleaseForm,
    InvestigationForm,
    QCResultForm,
)
from celltrace.lab.models import ProductLot
from celltrace.lab.qc_state import treating_doctor


def uninvestigated_failures(lot) -> list:
    """Failed results of the lot that no investigation covers yet."""
    results = lot.qc_results.filter(passed=False, investigations__isnull=True)
    return list(results.select_related("specification"))


def _late_qc_form(user, lot, forms):
    """After release, the lab records only the cultures the release did not wait for."""
    if lot.status != ProductLot.Status.RELEASED or not has_role(user, LOT_MAKERS):
        return None
    late = [s for s in lot.product.qc_specs.all() if s.release_before_result]
    if not late:
        return None
    return forms.get("qc_form") or QCResultForm(specs=late)


def qc_release_context(request, lot, results, forms) -> dict:
    user = request.user
    failures = uninvestigated_failures(lot)
    in_process = lot.status == ProductLot.Status.IN_PROCESS
    is_doctor = has_role(user, EXCEPTIONAL_RELEASERS)
    return {
        "late_qc_form": _late_qc_form(user, lot, forms),
        "investigations": lot.investigations.select_related("opened_by", "closed_by")
        .prefetch_related("results__specification")
        .all(),
        "exceptional_releases": lot.exceptional_releases.select_related(
            "accepted_by", "released_by"
        ),
        "alerts": lot.alerts.select_related("patient", "doctor", "acknowledged_by"),
        "has_failures": any(not r.passed for r in results),
        "investigation_form": (
            forms.get("investigation_form") or InvestigationForm(failures=failures)
        )
        if failures and has_role(user, INVESTIGATORS)
        else None,
        "close_form": forms.get("close_form") or CloseInvestigationForm(),
        "can_close": has_role(user, LOT_REVIEWERS),
        "acceptance_form": forms.get("acceptance_form") or AcceptanceForm(),
        "can_accept": is_doctor
        and in_process
        and lot.plan_id is not None
        and treating_doctor(lot.plan).pk == user.pk,
        "exceptional_form": forms.get("exceptional_form") or ExceptionalReleaseForm(),
        "can_release_exceptionally": is_doctor
        and in_process
        and lot.site.medical_director_id == user.pk,
        "alert_form": forms.get("alert_form") or AcknowledgeAlertForm(),
        "can_acknowledge": is_doctor,
    }
