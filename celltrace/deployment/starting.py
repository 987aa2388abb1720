"""The clinic's starting policy: the catalog, eligibility rules v1 and the report's plan v1."""

from django.core.management import call_command
from django.db import transaction

from celltrace.catalog.adverse_event_terms import load_adverse_event_terms
from celltrace.catalog.models import Condition
from celltrace.outcomes.locked_plan import lock_shipped_plans
from celltrace.screening.loading import starting_ruleset


@transaction.atomic
def load_starting_policy() -> None:
    """Load the starting catalog, rule set version 1 and analysis plan 1 where missing.

    A catalog the clinic already has is kept as it is: the fixture would overwrite the rows
    it names (dose limits, fees) with their starting values, so it loads only into a clinic
    without conditions. The rule set and the plan come with the migrations; they are loaded
    again only where a flush removed them (the demo's --reset, tests on a transactional
    database).
    """
    load_starting_catalog()
    starting_ruleset()
    lock_shipped_plans()


def load_starting_catalog() -> None:
    """Load the starting catalog into a clinic that has none; keep a clinic's own.

    The coded adverse event terms (CTCAE v5.0) come with the migrations; the ones a flush
    removed are added again, and a term the clinic has is kept as it is.
    """
    if not Condition.objects.exists():
        call_command("loaddata", "starting_catalog", verbosity=0)
    load_adverse_event_terms()
