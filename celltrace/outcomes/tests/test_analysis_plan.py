import copy
import hashlib
import json
from pathlib import Path

import pytest

from celltrace.clinical.registry.plan import canonical_json
from celltrace.outcomes import actions
from celltrace.outcomes.locked_plan import current_plan
from celltrace.outcomes.models import AnalysisPlan, PlanLocked
from celltrace.refusal import NotAllowed, Refused

PLANS = Path(__file__).resolve().parents[1] / "analysis_plans"
V1, V2 = (json.loads((PLANS / f"v{n}.json").read_text("utf-8")) for n in (1, 2))
LATEST = V2  # the latest shipped version: the plan in force after the migrations


def version_3():
    content = copy.deepcopy(LATEST)
    content["version"] = "3"
    content["small_cell"] = 12
    return content


def sha(content):
    return hashlib.sha256(canonical_json(content)).hexdigest()


def test_every_shipped_version_is_locked_by_the_migrations_with_the_hash_of_its_file(db):
    for content in (V1, V2):
        stored = AnalysisPlan.objects.get(version=content["version"])
        assert stored.sha256 == sha(content)
        assert stored.content == content and stored.locked_at is not None
    assert current_plan().sha256 == sha(LATEST)


def test_a_locked_plan_cannot_be_changed_or_deleted(db):
    stored = AnalysisPlan.objects.get(version="1")
    stored.content = {**stored.content, "small_cell": 3}
    with pytest.raises(PlanLocked):
        stored.save()
    with pytest.raises(PlanLocked):
        stored.delete()
    assert AnalysisPlan.objects.get(version="1").content["small_cell"] == 10


def test_a_manager_publishes_a_new_version_and_it_becomes_current(db, manager):
    published = actions.publish_analysis_plan(version_3(), manager)
    assert published.locked_by == manager and published.history.count() == 1
    plan = current_plan()
    assert (plan.version, plan.small_cell) == ("3", 12)
    assert plan.sha256 == sha(version_3())


def test_only_managers_and_admins_publish_a_plan(db, doctor, coordinator):
    for user in (doctor, coordinator):
        with pytest.raises(NotAllowed):
            actions.publish_analysis_plan(version_3(), user)
    assert not AnalysisPlan.objects.filter(version="3").exists()


def test_a_plan_the_core_rejects_or_a_taken_version_is_refused(db, admin_user):
    broken = version_3()
    broken["conditions"]["ms"]["outcomes"].append("no_such_instrument")
    with pytest.raises(Refused) as refused:
        actions.publish_analysis_plan(broken, admin_user)
    assert refused.value.code == "invalid_plan" and "no_such_instrument" in refused.value.message
    with pytest.raises(Refused) as taken:
        actions.publish_analysis_plan(copy.deepcopy(V1), admin_user)
    assert taken.value.code == "version_taken"
    assert AnalysisPlan.objects.count() == 2


def test_a_plan_altered_behind_the_applications_back_gives_no_report(db):
    AnalysisPlan.objects.filter(version="2").update(content={**V2, "small_cell": 3})
    with pytest.raises(Refused) as refused:
        current_plan()
    assert refused.value.code == "plan_tampered"


def test_the_starting_policy_locks_the_shipped_versions_again_after_a_flush(db):
    from celltrace.deployment.starting import load_starting_policy

    AnalysisPlan.objects.all().delete()  # what a flush does, below the model's own refusal
    load_starting_policy()
    assert current_plan().sha256 == sha(LATEST)
    load_starting_policy()
    assert list(AnalysisPlan.objects.values_list("version", flat=True)) == ["1", "2"]


def test_a_new_version_may_not_drop_an_outcome_or_a_time_point(db, manager):
    no_sdmt = version_3()
    no_sdmt["conditions"]["ms"]["outcomes"].remove("sdmt")
    no_24 = version_3()
    no_24["timepoints"] = no_24["timepoints"][:3]
    no_lyme = version_3()
    del no_lyme["conditions"]["lyme"]
    for content, named in ((no_sdmt, "sdmt"), (no_24, "24 months"), (no_lyme, "pain")):
        with pytest.raises(Refused) as refused:
            actions.publish_analysis_plan(content, manager)
        assert refused.value.code == "plan_drops_or_changes" and named in refused.value.message
    assert not AnalysisPlan.objects.filter(version="3").exists()


def test_a_changed_mcid_needs_a_changes_note(db, manager):
    content = version_3()
    del content["changes"]
    content["instruments"]["pain"]["mcid"]["improvement"] = 2.0
    with pytest.raises(Refused) as refused:
        actions.publish_analysis_plan(content, manager)
    assert "pain" in refused.value.message and "changes" in refused.value.message
    content["changes"] = "Pain MCID 1.8 -> 2.0 points (Farrar 2001)."
    content["conditions"]["ms"]["outcomes"].append("ais")  # adding an outcome is allowed
    assert actions.publish_analysis_plan(content, manager).version == "3"
