"""Security events: sign-ins, failures, sign-outs, refusals and downloads are logged, sealed."""

import pytest
from django.urls import reverse

from celltrace.accounts.models import Role, User
from celltrace.audit import chain
from celltrace.audit.models import ChainEntry, SecurityEvent
from celltrace.audit.tests.test_chain import as_dba
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan
from testkit.signin import sign_in

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


def events() -> list[tuple[str, str]]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", "username"))


def test_sign_in_failure_and_sign_out_are_logged_with_the_address(client, nurse):
    client.post(reverse("login"), {"username": nurse.username, "password": "wrong"})
    client.post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    client.post(reverse("logout"))

    assert events() == [
        (Kind.SIGN_IN_FAILED, nurse.username),
        (Kind.SIGNED_IN, nurse.username),
        (Kind.SIGNED_OUT, nurse.username),
    ]
    failed = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (failed.user_id, failed.address, failed.path) == (None, "127.0.0.1", "/login/")


def test_a_refused_page_is_logged(client, site):
    patient_user = User.objects.create_user("pat", password=PASSWORD, role=Role.PATIENT, site=site)
    sign_in(client, patient_user)

    response = client.get("/patients/")

    assert response.status_code == 403
    refused = SecurityEvent.objects.get(kind=Kind.REFUSED)
    assert (refused.username, refused.method, refused.path) == ("pat", "GET", "/patients/")


def test_a_download_is_logged(client, catalog, site, doctor, lab_technician, quality_reviewer):
    lot = make_lot(make_plan(make_patient(site), doctor), lab_technician, reviewer=quality_reviewer)
    sign_in(client, quality_reviewer)

    response = client.get(reverse("lab:certificate", args=[lot.pk]))

    assert response.status_code == 200
    exported = SecurityEvent.objects.get(kind=Kind.EXPORTED)
    assert exported.username == quality_reviewer.username
    assert f"certificate-{lot.code}.pdf" in exported.detail


def test_events_are_sealed_and_an_erased_one_is_named(client, nurse):
    client.post(reverse("login"), {"username": nurse.username, "password": "wrong"})
    event = SecurityEvent.objects.get()
    assert ChainEntry.objects.filter(table=SecurityEvent._meta.db_table, row_id=event.pk).exists()
    assert chain.verify().intact

    as_dba(f"DELETE FROM {SecurityEvent._meta.db_table} WHERE id = %s", [event.pk])  # noqa: S608

    assert [str(p) for p in chain.verify().problems] == [
        f"audit_securityevent id {event.pk}: deleted (it was sealed as entry "
        f"{ChainEntry.objects.get(row_id=event.pk, table='audit_securityevent').seq})"
    ]
