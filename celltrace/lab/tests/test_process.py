"""The product's process from the catalog: steps in order, passages, equipment, reagent lots."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from celltrace.catalog.models import CellProduct, ProcessStepDefinition
from celltrace.clinical.process import ReagentLot
from celltrace.lab.actions import record_process_step
from celltrace.lab.models import ProcessStep, ProductLot, StepReagent
from celltrace.lab.tests.helpers import an_hour_ago, process_until
from celltrace.refusal import Refused
from testkit.audit_trail import past_the_append_only_triggers

TRYPSIN = ReagentLot("Trypsin-EDTA", "T-2291", dt.date(2099, 1, 31))


def counts():
    return ProcessStep.objects.count(), StepReagent.objects.count(), ProductLot.objects.count()


def refused(*args, **kwargs) -> Refused:
    before = counts()
    with pytest.raises(Refused) as caught:
        record_process_step(*args, **kwargs)
    assert counts() == before
    return caught.value


def steps(lot):
    return [(s.step, s.passage) for s in lot.steps.all()]


# The catalog


def test_every_starting_product_has_its_process_starting_with_harvest_or_donor_tissue(catalog):
    for product in CellProduct.objects.all():
        defined = [d.step for d in product.process_steps.all()]
        first = "harvest" if product.source == "autologous" else "donor_tissue"
        assert defined[0] == first, product
        assert {"separation", "cultivation", "formulation", "fill"} <= set(defined), product
        assert product.process_days >= 7


def test_the_data_migration_defines_the_process_of_a_clinics_own_product(catalog):
    product = CellProduct.objects.get(code="msc-bm-auto-act")
    product.process_steps.all().delete()
    migration = importlib.import_module("celltrace.catalog.migrations.0012_process_steps_and_days")
    migration.define_processes(apps, None)
    defined = [d.step for d in product.process_steps.all()]
    assert defined == [
        "harvest",
        "separation",
        "cultivation",
        "activation",
        "formulation",
        "fill",
        "cryopreservation",
    ]


def test_old_cryostorage_steps_become_cryopreservation_and_cultivations_get_passages(
    donor_lot, lab_technician
):
    for _ in range(2):
        ProcessStep.objects.create(
            lot=donor_lot,
            step="cultivation",
            performed_by=lab_technician,
            performed_at=timezone.now(),
        )
    old = ProcessStep.objects.create(
        lot=donor_lot, step="cryostorage", performed_by=lab_technician, performed_at=timezone.now()
    )
    migration = importlib.import_module(
        "celltrace.lab.migrations.0009_process_steps_from_the_catalog"
    )
    with past_the_append_only_triggers():  # `migrate` is let through them as well
        migration.rename_and_number(apps, None)
    old.refresh_from_db()
    assert old.step == "cryopreservation"
    assert [p for s, p in steps(donor_lot) if s == "cultivation"] == [1, 2]


# The action


def test_steps_follow_the_catalogs_order_with_passages(autologous_lot, lab_technician):
    record_process_step(
        autologous_lot, lab_technician, step="separation", performed_at=an_hour_ago()
    )
    for passage in (1, 2):
        record_process_step(
            autologous_lot,
            lab_technician,
            step="cultivation",
            passage=passage,
            performed_at=an_hour_ago(),
        )
    assert steps(autologous_lot) == [
        ("harvest", None),
        ("separation", None),
        ("cultivation", 1),
        ("cultivation", 2),
    ]


def test_a_step_out_of_order_is_refused(autologous_lot, lab_technician):
    process_until(autologous_lot, lab_technician, "formulation")
    error = refused(autologous_lot, lab_technician, step="separation", performed_at=an_hour_ago())
    assert error.code == "out_of_order"


def test_skipping_a_required_step_is_refused_and_says_what_comes_next(
    autologous_lot, lab_technician
):
    error = refused(
        autologous_lot,
        lab_technician,
        step="formulation",
        performed_at=an_hour_ago(),
        viable_content=1e8,
        volume_ml=20.0,
    )
    assert error.code == "skipped_required"
    assert "Next: separation (centrifuge)." in error.message


def test_a_passage_beyond_those_the_product_allows_is_refused(donor_lot, lab_technician):
    process_until(donor_lot, lab_technician, "cultivation")
    allowed = donor_lot.product.process_steps.get(step="cultivation").passages_allowed
    for passage in range(1, allowed + 1):
        record_process_step(
            donor_lot,
            lab_technician,
            step="cultivation",
            passage=passage,
            performed_at=an_hour_ago(),
        )
    error = refused(
        donor_lot,
        lab_technician,
        step="cultivation",
        passage=allowed + 1,
        performed_at=an_hour_ago(),
    )
    assert error.code == "beyond_passages"


def test_a_cultivation_with_the_wrong_passage_number_is_refused(donor_lot, lab_technician):
    process_until(donor_lot, lab_technician, "cultivation")
    error = refused(
        donor_lot, lab_technician, step="cultivation", passage=2, performed_at=an_hour_ago()
    )
    assert error.code == "wrong_passage"


def test_a_cultivation_without_a_passage_number_takes_the_next_one(donor_lot, lab_technician):
    process_until(donor_lot, lab_technician, "cultivation")
    for _ in range(2):
        record_process_step(
            donor_lot, lab_technician, step="cultivation", performed_at=an_hour_ago()
        )
    assert [p for s, p in steps(donor_lot) if s == "cultivation"] == [1, 2]


def test_nothing_follows_the_last_step(donor_lot, lab_technician):
    process_until(donor_lot, lab_technician, "cryopreservation")
    record_process_step(
        donor_lot, lab_technician, step="cryopreservation", performed_at=an_hour_ago()
    )
    error = refused(donor_lot, lab_technician, step="fill", performed_at=an_hour_ago())
    assert error.code == "process_ended"


def test_a_product_without_process_steps_is_refused_clearly(donor_lot, lab_technician):
    ProcessStepDefinition.objects.filter(product=donor_lot.product).delete()
    error = refused(donor_lot, lab_technician, step="separation", performed_at=an_hour_ago())
    assert error.code == "no_process"


def test_the_step_keeps_its_equipment_and_reagent_lots(autologous_lot, lab_technician):
    step = record_process_step(
        autologous_lot,
        lab_technician,
        step="separation",
        performed_at=an_hour_ago(),
        equipment=" CENT-02 ",
        reagents=[TRYPSIN, ReagentLot("Ficoll-Paque", "F-88", dt.date(2099, 6, 1))],
    )
    assert step.equipment == "CENT-02"
    assert [(r.name, r.lot_number) for r in step.reagents.all()] == [
        ("Trypsin-EDTA", "T-2291"),
        ("Ficoll-Paque", "F-88"),
    ]


def test_an_expired_reagent_lot_is_refused_at_step_time(autologous_lot, lab_technician):
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    expired = ReagentLot("Ficoll-Paque", "F-12", yesterday)
    error = refused(
        autologous_lot,
        lab_technician,
        step="separation",
        performed_at=an_hour_ago(),
        reagents=[TRYPSIN, expired],
    )
    assert error.code == "reagent_refused"
    assert f"Ficoll-Paque lot F-12 expired on {yesterday}." in error.message


def test_only_cultivation_records_a_passage(autologous_lot, lab_technician):
    refused(
        autologous_lot, lab_technician, step="separation", passage=1, performed_at=an_hour_ago()
    )


# The form and the lot page


def lot_url(name, lot):
    return reverse(f"lab:{name}", args=[lot.pk])


def when():
    return (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_the_lot_page_shows_the_process_and_offers_only_the_next_steps(
    client_for, lab_technician, autologous_lot
):
    page = client_for(lab_technician).get(lot_url("lot_detail", autologous_lot)).content.decode()
    process = page.split("<h2>Process</h2>")[1].split("<h2>Chain of identity")[0]
    assert process.count('<span class="badge ok">done</span>') == 1
    assert process.count('<span class="badge warn">next</span>') == 1
    assert "pending" in process
    form = page.split(f'action="{lot_url("add_step", autologous_lot)}"')[1].split("</form>")[0]
    assert '<option value="separation">' in form
    assert '<option value="formulation">' not in form


def test_the_form_refuses_a_step_it_does_not_offer_and_saves_nothing(
    client_for, lab_technician, autologous_lot
):
    before = counts()
    data = {
        "step": "formulation",
        "performed_at": when(),
        "viable_content": "1e8",
        "volume_ml": "20",
    }
    response = client_for(lab_technician).post(lot_url("add_step", autologous_lot), data)
    assert response.status_code == 200
    assert counts() == before


def test_the_form_records_a_passage_and_reagents(client_for, lab_technician, donor_lot):
    process_until(donor_lot, lab_technician, "cultivation")
    data = {
        "step": "cultivation",
        "performed_at": when(),
        "equipment": "INC-4",
        "reagents": "Trypsin-EDTA; T-2291; 2099-01-31",
    }
    response = client_for(lab_technician).post(lot_url("add_step", donor_lot), data)
    assert response.status_code == 302
    step = donor_lot.steps.last()
    assert (step.step, step.passage, step.equipment) == ("cultivation", 1, "INC-4")
    assert step.reagents.get().lot_number == "T-2291"
    page = client_for(lab_technician).get(lot_url("lot_detail", donor_lot)).content.decode()
    assert "Cultivation, passage 1" in page and "Trypsin-EDTA lot T-2291" in page


def test_the_form_shows_an_expired_reagent_refusal_and_saves_nothing(
    client_for, lab_technician, autologous_lot
):
    before = counts()
    data = {"step": "separation", "performed_at": when(), "reagents": "Ficoll; F-1; 2000-01-01"}
    response = client_for(lab_technician).post(lot_url("add_step", autologous_lot), data)
    assert "Ficoll lot F-1 expired on 2000-01-01." in response.content.decode()
    assert counts() == before


# The API


def api_step(client, lot, body):
    return client.post(f"/api/lab/lots/{lot.pk}/steps", body, content_type="application/json")


def test_the_api_shows_the_process_and_the_next_steps(client_for, doctor, autologous_lot):
    body = client_for(doctor).get(f"/api/lab/lots/{autologous_lot.pk}").json()
    assert [(p["step"], p["state"]) for p in body["process"][:3]] == [
        ("harvest", "done"),
        ("separation", "next"),
        ("cultivation", "pending"),
    ]
    assert body["next_steps"] == [
        {"step": "separation", "label": "Separation (centrifuge)", "passage": None}
    ]


def test_the_api_records_a_step_with_its_reagents_and_equipment(
    client_for, lab_technician, autologous_lot
):
    reagent = {"name": "Ficoll-Paque", "lot_number": "F-88", "expires_on": "2099-06-01"}
    body = {
        "step": "separation",
        "performed_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "equipment": "CENT-02",
        "reagents": [reagent],
    }
    response = api_step(client_for(lab_technician), autologous_lot, body)
    assert response.status_code == 201
    (step,) = [s for s in response.json()["steps"] if s["step"] == "separation"]
    assert step["equipment"] == "CENT-02" and step["reagents"] == [reagent]
    assert response.json()["next_steps"][0] == {
        "step": "cultivation",
        "label": "Cultivation",
        "passage": 1,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"step": "formulation", "viable_content": 1e8, "volume_ml": 20.0},
        {
            "step": "separation",
            "reagents": [{"name": "FBS", "lot_number": "F-1", "expires_on": "2000-01-01"}],
        },
    ],
)
def test_the_api_refuses_a_skipped_step_or_an_expired_reagent_and_saves_nothing(
    client_for, lab_technician, autologous_lot, body
):
    before = counts()
    body["performed_at"] = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = api_step(client_for(lab_technician), autologous_lot, body)
    assert response.status_code == 422
    assert counts() == before
