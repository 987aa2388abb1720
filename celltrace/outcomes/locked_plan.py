"""The analysis plan a report is computed under: the latest locked version, checked.

The hash is taken again from the stored content before every report: a plan edited in the
database behind the application's back no longer matches its locked hash, and no report is
made from it.

Each shipped version comes with a migration (analysis_plans/v1.json, v2.json, ...);
`lock_shipped_plans` locks them again, in order, where a flush removed them (the demo's
--reset, tests on a transactional database).
"""

import json
from pathlib import Path

from django.utils import timezone

from celltrace.clinical.registry.plan import AnalysisPlan, PlanError, load_plan
from celltrace.outcomes import models
from celltrace.refusal import Refused

PLANS = Path(__file__).resolve().parent / "analysis_plans"
FIRST_PLAN = PLANS / "v1.json"
# The shipped versions in the order they were locked; each has its migration.
SHIPPED_PLANS = (FIRST_PLAN, PLANS / "v2.json")


def lock_first_plan(model=None) -> None:
    """Lock plan version 1 unless it is locked (model: the migration's historical one)."""
    lock_plan_file(FIRST_PLAN, model)


def lock_shipped_plans(model=None) -> None:
    """Lock every shipped plan version not yet locked, oldest first (the latest is in force)."""
    for path in SHIPPED_PLANS:
        lock_plan_file(path, model)


def lock_plan_file(path: Path, model=None) -> None:
    """Lock the plan version of one shipped file unless that version is locked."""
    model = model or models.AnalysisPlan
    content = json.loads(path.read_text(encoding="utf-8"))
    plan = load_plan(content)
    if not model.objects.filter(version=plan.version).exists():
        model.objects.create(
            version=plan.version, content=content, sha256=plan.sha256, locked_at=timezone.now()
        )


def current_plan() -> AnalysisPlan:
    """Return the latest locked plan as the core reads it; refuse a missing or altered one."""
    try:
        stored = models.AnalysisPlan.objects.latest()
    except models.AnalysisPlan.DoesNotExist:
        raise Refused("No analysis plan is locked: no report.", code="no_plan") from None
    try:
        plan = load_plan(stored.content)
    except PlanError as error:
        raise Refused(str(error), code="plan_tampered") from None
    if plan.sha256 != stored.sha256 or plan.version != stored.version:
        raise Refused(
            f"Analysis plan {stored.version} no longer matches its locked hash "
            f"{stored.sha256}: it was altered after locking, so no report is made from it.",
            code="plan_tampered",
            params={"version": stored.version, "sha256": stored.sha256},
        )
    return plan
