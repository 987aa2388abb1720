"""Printing a lot's labels: what the PDF says, who may print and reprint, and nothing on refusal."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from celltrace.accounts.models import Role, User
from celltrace.clinical import isbt128
from celltrace.clinical.labels import IDENTIFY_STATEMENT
from celltrace.lab import labels
from celltrace.lab.actions import print_labels, reject_lot
from celltrace.lab.models import LabelPrint, ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.refusal import NotAllowed, Refused
from testkit.journey import make_lot, make_patient, make_plan


def in_pdf(text: str) -> bytes:
    """How reportlab writes a line of text into an uncompressed PDF page."""
    out = []
    for byte in labels.printable(text).encode("cp1252"):
        if chr(byte) in "()\\":
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return f"({''.join(out)}) Tj".encode("latin-1")


@pytest.fixture
def lisbon(site):
    site.time_zone = "Europe/Lisbon"
    site.save()
    return site


def _print(lot, user, **kwargs):
    kwargs = {"kind": "container", "copies": 1, **kwargs}
    return print_labels(lot, user, **kwargs)


# What the labels say


def test_an_autologous_container_label_has_every_item_lab_md_lists(
    lisbon, autologous_lot, lab_technician
):
    label_print = _print(autologous_lot, lab_technician)
    pdf = labels.pdf_response([label_print]).content
    content = labels.label_content(autologous_lot, "container")
    patient = autologous_lot.plan.patient
    din = isbt128.Din(autologous_lot.din)
    assert pdf.startswith(b"%PDF")
    for line in [
        f"{din.fin} {din.year} {din.sequence}",
        din.check_character,
        "Autologous bone marrow MSCs",
        "Product code A0001100, division 00",
        "FOR AUTOLOGOUS USE ONLY",
        f"Recipient: {patient.full_name}, ID {patient.code}",
        content.collected,
        content.expires,
        content.expires_utc,
        "Volume: not yet formulated",
        "Store at 2-8 °C",
        "Processed by Lisbon clinic, FIN X9991",
        IDENTIFY_STATEMENT,
    ]:
        assert in_pdf(line) in pdf, line
    assert b"/MediaBox [ 0 0 289.1339 215.4331 ]" in pdf  # 102 x 76 mm


def test_the_expiry_is_printed_in_the_sites_zone_and_in_utc(lisbon, autologous_lot, lab_technician):
    content = labels.label_content(autologous_lot, "container")
    utc = autologous_lot.expires_at.astimezone(dt.UTC)
    assert "Europe/Lisbon (UTC+0" in content.expires
    assert content.expires_utc == f"= {utc:%Y-%m-%d %H:%M} UTC"
    lisbon.time_zone = "Asia/Tokyo"
    lisbon.save()
    autologous_lot.refresh_from_db()
    tokyo = labels.label_content(autologous_lot, "container")
    assert "Asia/Tokyo (UTC+09:00)" in tokyo.expires
    assert tokyo.expires_utc == content.expires_utc


def test_a_donor_lot_not_yet_allocated_prints_its_donor_status_and_no_recipient(
    lisbon, donor_lot, lab_technician
):
    label_print = _print(donor_lot, lab_technician)
    pdf = labels.pdf_response([label_print]).content
    assert in_pdf("ALLOGENEIC — donor UC-0042 eligible") in pdf
    assert in_pdf("Not allocated to a recipient") in pdf
    assert in_pdf("FOR AUTOLOGOUS USE ONLY") not in pdf
    assert in_pdf("Product code A0013V00, division 00") in pdf


def test_a_lot_of_a_donor_not_yet_determined_is_labelled_not_evaluated(lisbon, lab_technician):
    from celltrace.lab.actions import create_donor_lot
    from celltrace.lab.tests.helpers import an_hour_ago, make_donor, product

    pending = make_donor(lisbon, lab_technician, code="UC-0077")
    lot = create_donor_lot(
        lisbon, lab_technician, product=product("msc-uc-allo"), donor=pending, made_at=an_hour_ago()
    )
    pdf = labels.pdf_response([_print(lot, lab_technician)]).content
    assert in_pdf("QUARANTINE — NOT EVALUATED FOR INFECTIOUS SUBSTANCES") in pdf


def test_an_allocated_donor_lot_prints_its_recipient(
    lisbon, donor_plan, lab_technician, quality_reviewer
):
    lot = make_lot(donor_plan, lab_technician, reviewer=quality_reviewer)
    pdf = labels.pdf_response([_print(lot, lab_technician)]).content
    patient = donor_plan.patient
    assert in_pdf(f"Recipient: {patient.full_name}, ID {patient.code}") in pdf
    assert in_pdf("Volume: 20 mL") in pdf


def test_the_barcodes_carry_isbt128s_data_strings_and_never_k(lisbon, autologous_lot):
    content = labels.label_content(autologous_lot, "container")
    din = isbt128.Din(autologous_lot.din)
    code = isbt128.product_code_data("A0001", "1", "00")
    local_expiry = autologous_lot.expires_at.astimezone(zoneinfo.ZoneInfo("Europe/Lisbon"))
    expiry = isbt128.expiry_data(local_expiry)
    barcodes = labels.container_barcodes(content)
    assert {name: barcode.value for name, barcode in barcodes.items()} == {
        "din": din.data_string(),
        "product_code": code,
        "expiry": expiry,
        "datamatrix": isbt128.compound_message(din.data_string(), code, expiry),
    }
    partial = labels.partial_barcodes(labels.label_content(autologous_lot, "partial"))
    assert partial["din"].value == din.data_string()
    assert din.data_string() == f"={din.value}{din.check_flag}"


def test_a_partial_label_has_identifier_product_and_recipient_on_a_small_page(
    autologous_lot, lab_technician
):
    label_print = _print(autologous_lot, lab_technician, kind="partial", copies=3)
    pdf = labels.pdf_response([label_print]).content
    patient = autologous_lot.plan.patient
    din = isbt128.Din(autologous_lot.din)
    assert in_pdf(f"{din.fin} {din.year} {din.sequence}") in pdf
    assert in_pdf(din.check_character) in pdf
    assert in_pdf("Autologous bone marrow MSCs") in pdf
    assert in_pdf(f"Recipient: {patient.full_name}, ID {patient.code}") in pdf
    assert pdf.count(b"/MediaBox [ 0 0 141.7323 70.86614 ]") == 3  # 50 x 25 mm, 3 copies
    assert in_pdf(IDENTIFY_STATEMENT) not in pdf


def test_a_character_the_label_font_lacks_is_spelled_out_never_dropped():
    assert labels.printable("≤ -150 °C (LN2 vapour)") == "<= -150 °C (LN2 vapour)"
    assert labels.printable("Ω") == "?"


# Who may print, and reprints


def test_reprints_are_numbered_and_need_a_quality_reviewer_and_a_reason(
    autologous_lot, lab_technician, quality_reviewer
):
    first = _print(autologous_lot, lab_technician, copies=2)
    partial = _print(autologous_lot, lab_technician, kind="partial")
    second = _print(autologous_lot, quality_reviewer, reason="Label smudged by condensation")
    third = _print(autologous_lot, quality_reviewer, reason="Bag transferred")
    assert [first.reprint, partial.reprint, second.reprint, third.reprint] == [0, 0, 1, 2]
    assert not first.is_reprint and third.is_reprint
    assert labels.print_summaries(autologous_lot.label_prints.all()) == [
        "Container label printed 3 times: 1 original, 2 reprints",
        "Partial label (small container) printed 1 time: 1 original, 0 reprints",
    ]
    assert third.history.count() == 1


@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [("lab_technician", "Smudged", "role_not_allowed"), ("quality_reviewer", " ", "invalid")],
)
def test_a_reprint_by_another_role_or_without_reason_is_refused_and_nothing_saved(
    request, autologous_lot, lab_technician, who, reason, code
):
    _print(autologous_lot, lab_technician)
    before = LabelPrint.objects.count(), LabelPrint.history.count()
    with pytest.raises(Refused) as refused:
        _print(autologous_lot, request.getfixturevalue(who), reason=reason)
    assert refused.value.code == code
    assert (LabelPrint.objects.count(), LabelPrint.history.count()) == before


@pytest.mark.parametrize("who", ["quality_reviewer", "nurse", "doctor"])
def test_only_a_lab_technician_prints_the_first_labels(request, autologous_lot, who):
    with pytest.raises(NotAllowed):
        _print(autologous_lot, request.getfixturevalue(who), reason="First")
    assert not LabelPrint.objects.exists()


def test_a_rejected_lot_cannot_be_labelled(autologous_lot, lab_technician, quality_reviewer):
    reject_lot(autologous_lot, quality_reviewer, reason="Contaminated")
    with pytest.raises(Refused, match="rejected"):
        _print(autologous_lot, lab_technician)
    assert not LabelPrint.objects.exists()


def test_a_lot_without_din_cannot_be_labelled(autologous_lot, lab_technician):
    ProductLot.objects.filter(pk=autologous_lot.pk).update(din=None)
    autologous_lot.refresh_from_db()
    with pytest.raises(Refused, match="no DIN"):
        _print(autologous_lot, lab_technician)
    assert not LabelPrint.objects.exists()


@pytest.mark.parametrize(
    ("kind", "copies"), [("box", 1), ("container", 0), ("container", 21), ("container", "2")]
)
def test_an_unknown_label_or_number_of_copies_is_refused(
    autologous_lot, lab_technician, kind, copies
):
    with pytest.raises(Refused) as refused:
        _print(autologous_lot, lab_technician, kind=kind, copies=copies)
    assert refused.value.code == "invalid"
    assert not LabelPrint.objects.exists()


def test_another_sites_technician_cannot_print_this_sites_labels(
    autologous_lot, other_site, catalog
):
    theirs = User.objects.create_user("olga.lab", role=Role.LAB_TECHNICIAN, site=other_site)
    with pytest.raises(NotAllowed):
        _print(autologous_lot, theirs)
    assert not LabelPrint.objects.exists()


# The lot page, the form and the API


def labels_url(lot):
    return reverse("lab:print_labels", args=[lot.pk])


def test_the_form_returns_the_pdf_named_by_the_din(client_for, lab_technician, autologous_lot):
    response = client_for(lab_technician).post(
        labels_url(autologous_lot), {"kind": "container", "copies": 1}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert autologous_lot.din in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert in_pdf(IDENTIFY_STATEMENT) in response.content
    assert LabelPrint.objects.get().printed_by == lab_technician


def test_the_lot_page_counts_prints_and_shows_who_when_and_why(
    client_for, lab_technician, quality_reviewer, autologous_lot
):
    _print(autologous_lot, lab_technician)
    _print(autologous_lot, quality_reviewer, reason="Label torn")
    _print(autologous_lot, quality_reviewer, reason="Second bag")
    page = client_for(lab_technician).get(autologous_lot.get_absolute_url()).content.decode()
    assert "Container label printed 3 times: 1 original, 2 reprints" in page
    assert "Label torn" in page and "Second bag" in page and "reprint 2" in page
    assert labels_url(autologous_lot) in page


def test_a_refused_reprint_through_the_form_shows_why_and_saves_nothing(
    client_for, lab_technician, autologous_lot
):
    _print(autologous_lot, lab_technician)
    response = client_for(lab_technician).post(
        labels_url(autologous_lot), {"kind": "container", "copies": 1, "reason": "Torn"}
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Only a quality reviewer may reprint" in response.content.decode()
    assert LabelPrint.objects.count() == 1


def test_a_nurse_sees_the_history_but_no_print_form(client_for, nurse, autologous_lot):
    page = client_for(nurse).get(autologous_lot.get_absolute_url()).content.decode()
    assert "No label printed yet." in page
    assert labels_url(autologous_lot) not in page


def test_another_sites_lot_answers_404_to_the_form_and_the_api(
    client_for, autologous_lot, other_site, catalog
):
    theirs = User.objects.create_user("olga.lab", role=Role.LAB_TECHNICIAN, site=other_site)
    client = client_for(theirs)
    form = client.post(labels_url(autologous_lot), {"kind": "container", "copies": 1})
    api = client.post(
        f"/api/lab/lots/{autologous_lot.pk}/labels",
        {"kind": "container", "copies": 1},
        content_type="application/json",
    )
    assert (form.status_code, api.status_code) == (404, 404)
    assert not LabelPrint.objects.exists()


def test_the_api_returns_the_pdf_and_refuses_a_reprint_without_reason(
    client_for, lab_technician, quality_reviewer, autologous_lot
):
    url = f"/api/lab/lots/{autologous_lot.pk}/labels"
    body = {"kind": "partial", "copies": 2}
    response = client_for(lab_technician).post(url, body, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.count(b"/MediaBox [ 0 0 141.7323 70.86614 ]") == 2
    refused = client_for(quality_reviewer).post(url, body, content_type="application/json")
    assert refused.status_code == 422 and "reason" in refused.content.decode()
    assert LabelPrint.objects.count() == 1
    reprint = {**body, "reason": "Syringe relabelled after transfer"}
    response = client_for(quality_reviewer).post(url, reprint, content_type="application/json")
    assert response.status_code == 200
    assert LabelPrint.objects.filter(reprint=1, printed_by=quality_reviewer).exists()


def test_the_openapi_document_says_the_labels_come_as_pdf(client_for, lab_technician):
    schema = client_for(lab_technician).get("/api/openapi.json").json()
    operation = schema["paths"]["/api/lab/lots/{lot_id}/labels"]["post"]
    assert "application/pdf" in operation["responses"]["200"]["content"]


def test_a_doctor_cannot_print_labels_through_the_api(
    client_for, doctor, site, catalog, lab_technician
):
    lot = make_lot(make_plan(make_patient(site), doctor), lab_technician)
    response = client_for(doctor).post(
        f"/api/lab/lots/{lot.pk}/labels", {"kind": "container"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not LabelPrint.objects.exists()


def test_a_scan_of_the_container_labels_datamatrix_finds_the_lot(autologous_lot, donor_lot):
    content = labels.label_content(autologous_lot, "container")
    assert lot_from_scan(ProductLot.objects.all(), content.datamatrix_data) == autologous_lot


# Printing the day's lots at once


def test_the_days_lots_are_labelled_in_one_pdf(
    client_for, lab_technician, autologous_lot, donor_lot
):
    client = client_for(lab_technician)
    page = client.get(reverse("lab:bulk_labels")).content.decode()
    assert autologous_lot.code in page and donor_lot.code in page
    response = client.post(
        reverse("lab:bulk_labels"),
        {"lots": [autologous_lot.pk, donor_lot.pk], "kind": "container", "copies": 2},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.count(b"/MediaBox [ 0 0 289.1339 215.4331 ]") == 4
    assert in_pdf("FOR AUTOLOGOUS USE ONLY") in response.content
    assert in_pdf("Not allocated to a recipient") in response.content
    assert LabelPrint.objects.filter(reprint=0).count() == 2


def test_a_bulk_print_with_one_lot_already_labelled_prints_none(
    client_for, lab_technician, autologous_lot, donor_lot
):
    _print(donor_lot, lab_technician)
    response = client_for(lab_technician).post(
        reverse("lab:bulk_labels"),
        {"lots": [autologous_lot.pk, donor_lot.pk], "kind": "container", "copies": 1},
    )
    page = response.content.decode()
    assert f"Lot {donor_lot.code}: Only a quality reviewer may reprint" in page
    assert LabelPrint.objects.count() == 1


def test_the_bulk_api_refuses_another_sites_lot_and_prints_nothing(
    client_for, lab_technician, autologous_lot, other_site, doctor, catalog
):
    theirs = make_lot(make_plan(make_patient(other_site), doctor), lab_technician)
    body = {"lot_ids": [autologous_lot.pk, theirs.pk], "kind": "partial", "copies": 1}
    client = client_for(lab_technician)
    response = client.post("/api/lab/labels", body, content_type="application/json")
    assert response.status_code == 404
    assert not LabelPrint.objects.exists()
    body["lot_ids"] = [autologous_lot.pk]
    response = client.post("/api/lab/labels", body, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert LabelPrint.objects.get().kind == "partial"
