"""The starting catalog and rule set load into an empty clinic, and never over a clinic's own."""

from celltrace.catalog.models import CellProduct, Condition
from celltrace.deployment.starting import load_starting_policy
from celltrace.screening.models import RuleSet


def test_an_empty_clinic_gets_the_starting_catalog_and_rules(db):
    RuleSet.objects.all().delete()  # as after a flush

    load_starting_policy()

    assert Condition.objects.filter(code="ms", accepts_requests=True).exists()
    assert CellProduct.objects.exists()
    assert RuleSet.objects.get(version=1).status == RuleSet.Status.PUBLISHED


def test_loading_again_keeps_what_the_clinic_changed(db):
    load_starting_policy()
    Condition.objects.filter(code="ms").update(name="Multiple sclerosis (all forms)")
    products = CellProduct.objects.count()

    load_starting_policy()

    assert Condition.objects.get(code="ms").name == "Multiple sclerosis (all forms)"
    assert CellProduct.objects.count() == products
    assert RuleSet.objects.filter(version=1).count() == 1
