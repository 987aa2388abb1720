"""Lab results and documents imported from a FHIR Bundle or CSV: the export read backwards."""

import base64
import copy
import datetime as dt

import pytest
from django.utils import timezone

from celltrace.cli import main
from celltrace.fhir import codes
from celltrace.fhir.csv_results import import_csv
from celltrace.fhir.imports import import_bundle
from celltrace.fhir.models import Import, ImportedResource
from celltrace.intake.models import Attachment
from celltrace.intake.tests.hostile_files import raw_pdf, valid_pdf
from celltrace.refusal import NotAllowed, Refused
from celltrace.screening.actions import rescreen_on_admission
from celltrace.screening.models import PatientFact
from celltrace.uploads import EICAR_SIGNATURE as EICAR
from testkit.journey import make_patient, make_plan, make_stay
from testkit.samples import record_normal_facts

from .test_export import check_export, read_export


def lab_facts(patient) -> list[tuple]:
    rows = PatientFact.objects.filter(patient=patient, kind="lab")
    return sorted((f.analyte, f.value, f.unit, f.on) for f in rows)


def observation(patient, *, code="718-7", value=13.5, unit="g/dL", on=None, id_="obs-1",
                status="final", system=codes.LOINC) -> dict:  # fmt: skip
    return {
        "resourceType": "Observation",
        "id": id_,
        "identifier": [{"system": "urn:lab:results", "value": id_}],
        "status": status,
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"identifier": {"system": codes.PATIENT_CODE, "value": patient.code}},
        "effectiveDateTime": (on or timezone.localdate()).isoformat(),
        "valueQuantity": {"value": value, "unit": unit},
    }


def bundle(*resources, kind="collection", source="St Mary's laboratory") -> dict:
    return {
        "resourceType": "Bundle",
        "type": kind,
        "meta": {"source": source},
        "entry": [{"resource": resource} for resource in resources],
    }


def document(patient, data: bytes, *, content_type="application/pdf", title="referral.pdf"):
    return {
        "resourceType": "DocumentReference",
        "id": "doc-1",
        "masterIdentifier": {"system": "urn:gp:letters", "value": "letter-77"},
        "status": "current",
        "subject": {"identifier": {"system": codes.PATIENT_CODE, "value": patient.code}},
        "content": [{"attachment": {
            "contentType": content_type, "title": title,
            "data": base64.b64encode(data).decode(),
        }}],
    }  # fmt: skip


def nothing_saved(before: tuple) -> bool:
    return counts() == before


def counts() -> tuple:
    return (
        PatientFact.objects.count(),
        Import.objects.count(),
        ImportedResource.objects.count(),
        Attachment.objects.count(),
    )


def test_the_exported_lab_results_of_a_patient_import_back_unchanged(
    journey, foreign_journey, doctor, tmp_path
):
    """Round trip on a seeded clinic of two patients (the whole demo export takes minutes)."""
    assert main(["fhir", "export", str(tmp_path)]) == 0
    resources = check_export(read_export(tmp_path))
    labs = [
        r for r in resources
        if r["resourceType"] == "Observation" and r["id"].startswith("fact-")
        and r["subject"]["reference"] == f"Patient/{journey.pk}"
        and r["category"][0]["coding"][0]["code"] == "laboratory"
    ]  # fmt: skip
    patient = next(r for r in resources if r["id"] == str(journey.pk) and "gender" in r)
    exported = lab_facts(journey)
    assert len(labs) == len(exported) == 8
    PatientFact.objects.filter(patient=journey, kind="lab").delete()
    sent = bundle(patient, *labs, source="celltrace export")
    sent["entry"][0]["fullUrl"] = f"Patient/{journey.pk}"

    result = import_bundle(doctor, copy.deepcopy(sent))

    assert lab_facts(journey) == exported
    assert len(result.created) == 8
    imported = PatientFact.objects.filter(patient=journey, kind="lab")
    assert {f.provenance.split(":")[0] for f in imported} == {"FHIR Bundle from celltrace export"}
    assert {f.recorded_by for f in imported} == {doctor}
    again = import_bundle(doctor, sent)
    assert again.source is None
    assert len(again.unchanged) == 8
    assert lab_facts(journey) == exported


@pytest.fixture
def admitted(catalog, site, doctor, nurse):
    """A patient on the ward today, screened with normal labs before planning."""
    patient = make_patient(site)
    record_normal_facts(patient, doctor, on=timezone.localdate() - dt.timedelta(days=20))
    plan = make_plan(patient, doctor, admission=timezone.localdate())
    return make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=1))


def test_a_lab_result_imported_on_admission_feeds_the_day_one_screening(
    admitted, lab_technician, nurse
):
    low = observation(admitted.patient, code="777-3", value=40, unit="10*9/L", id_="cbc-9")
    result = import_bundle(lab_technician, bundle(low))
    fact = result.source.resources.get().fact
    assert (fact.analyte, fact.value, fact.on) == ("platelets", 40, timezone.localdate())
    assert fact.provenance == "FHIR Bundle from St Mary's laboratory: cbc-9"
    day_one = rescreen_on_admission(admitted, nurse)
    assert any("Platelets" in label for label in day_one.new_exclusions)


def test_a_time_stamped_sample_is_dated_on_the_sites_day(admitted, doctor):
    taken = dt.datetime.combine(timezone.localdate(), dt.time(8, 30), tzinfo=dt.UTC)
    result = observation(admitted.patient, id_="x") | {"effectiveDateTime": taken.isoformat()}
    imported = import_bundle(doctor, bundle(result)).source.resources.get().fact
    assert imported.on == timezone.localdate()
    naive = result | {"id": "y", "identifier": [], "effectiveDateTime": "2026-01-02T08:30:00"}
    _refused(doctor, bundle(naive), reason="effectiveDateTime")


def test_a_csv_row_with_the_labs_identifier_is_known_by_it(admitted, nurse):
    row = f"{admitted.patient.code},718-7,12.1,g/dL,{timezone.localdate()},HB-1"
    header = "patient_code,code,value,unit,date,identifier\n"
    import_csv(nurse, header + row + "\n", sender="Outside lab")
    assert ImportedResource.objects.get().identifier_value == "HB-1"
    with pytest.raises(Refused, match="HB-1 was imported on .* with other content"):
        import_csv(nurse, header + row.replace("12.1", "11.0") + "\n", sender="Outside lab")


def test_an_amended_result_and_a_batch_bundle_are_taken(admitted, doctor):
    amended = observation(admitted.patient, status="amended", code="14682-9", unit="umol/L",
                          value=80)  # fmt: skip
    import_bundle(doctor, bundle(amended, kind="batch"))
    assert ("creatinine", 80.0, "umol/L", timezone.localdate()) in lab_facts(admitted.patient)


def _refused(user, sent, *, reason: str, code: str | None = None):
    before = counts()
    with pytest.raises(Refused) as refusal:
        import_bundle(user, sent)
    assert reason in refusal.value.message
    if code:
        assert refusal.value.code == code
    assert nothing_saved(before)
    return refusal.value


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"code": "2345-7"}, "http://loinc.org|2345-7 is not a screening lab result"),
        ({"unit": "furlongs"}, "unknown unit 'furlongs' for haemoglobin"),
        ({"code": "2160-0", "unit": "umol/L"}, "the unit 'umol/L' does not fit the code 2160-0"),
        ({"status": "preliminary"}, "its status is 'preliminary'"),
        ({"on": dt.date(2099, 1, 1)}, "cannot be in the future"),
        ({"value": -3}, "at least 0"),
    ],
)
def test_a_bad_result_refuses_the_whole_bundle_naming_the_entry(admitted, doctor, change, reason):
    good = observation(admitted.patient, id_="ok")
    bad = observation(admitted.patient, id_="bad", **change)
    refusal = _refused(doctor, bundle(good, bad), reason=reason)
    assert refusal.message.startswith("Nothing was imported: entry 2 (Observation/bad): ")


def test_a_patient_of_another_site_or_unknown_is_refused_without_saying_which(
    admitted, doctor, other_site
):
    foreign = make_patient(other_site)
    _refused(doctor, bundle(observation(foreign)), reason=f"no patient {foreign.code} at your site")
    nobody = observation(admitted.patient)
    nobody["subject"]["identifier"]["value"] = "PT-NOBODY"
    _refused(doctor, bundle(nobody), reason="no patient PT-NOBODY at your site")
    unnamed = observation(admitted.patient) | {"subject": {"reference": "Patient/1"}}
    _refused(doctor, bundle(unnamed), reason="name the patient by celltrace's patient code")


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        (b"{not json", "the file: it is not JSON"),
        (b'{"resourceType": "Patient"}', "it is not a FHIR Bundle"),
        (b'{"resourceType": "Bundle", "type": "searchset"}', "its type is 'searchset'"),
        (b'{"resourceType": "Bundle", "type": "batch", "entry": [{"resource": '
         b'{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, '
         b'"valueQuantity": {"value": "lots"}}}]}', "entry 1: valueQuantity.value"),
        (b'{"resourceType": "Bundle", "type": "batch", "entry": [{"resource": '
         b'{"resourceType": "Condition", "subject": {"reference": "Patient/1"}}}]}',
         "a Condition is not imported"),
    ],
)  # fmt: skip
def test_what_is_not_a_bundle_of_results_is_refused(admitted, doctor, sent, reason):
    _refused(doctor, sent, reason=reason)


def test_a_result_without_sender_is_refused(admitted, doctor):
    sent = bundle(observation(admitted.patient))
    del sent["meta"]
    _refused(doctor, sent, reason="say who sent the results", code="no_sender")
    assert import_bundle(doctor, sent, sender="Dr Lee, GP").source.sender == "Dr Lee, GP"


def test_the_same_identifier_with_other_values_is_refused_not_overwritten(admitted, doctor):
    import_bundle(doctor, bundle(observation(admitted.patient, value=13.5)))
    _refused(doctor, bundle(observation(admitted.patient, value=9.1)), reason="other content")
    twice = bundle(observation(admitted.patient, id_="a"), observation(admitted.patient, id_="a"))
    _refused(doctor, twice, reason="the same identifier as entry 1")


def test_only_the_roles_that_record_facts_and_the_lab_import(admitted, coordinator):
    with pytest.raises(NotAllowed):
        import_bundle(coordinator, bundle(observation(admitted.patient)))


def test_a_referring_doctors_document_is_checked_and_filed_with_the_request(journey, doctor):
    result = import_bundle(doctor, bundle(document(journey, valid_pdf())))
    filed = result.source.resources.get()
    assert filed.identifier_value == "letter-77"
    assert filed.attachment.request.patient == journey
    assert filed.attachment.content_type == "application/pdf"
    assert filed.attachment.original_name == "referral.pdf"
    assert import_bundle(doctor, bundle(document(journey, valid_pdf()))).source is None


@pytest.mark.parametrize(
    "data",
    [valid_pdf().replace(b"%%EOF", b"") + EICAR + b"\n%%EOF\n",
     raw_pdf(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")],
)  # fmt: skip
def test_a_hostile_document_is_refused_with_nothing_saved(journey, doctor, data):
    hostile = document(journey, data)
    _refused(doctor, bundle(observation(journey), hostile), reason="entry 2 (DocumentReference/")


def test_a_document_that_is_not_what_it_says_is_refused(journey, doctor):
    lying = document(journey, valid_pdf(), content_type="image/png", title="scan")
    _refused(doctor, bundle(lying), reason="scan.png: the content is PDF")


CSV = """patient_code,code,value,unit,date
{code},718-7,12.1,g/dL,{day}
{code},lab-egfr,88,mL/min/1.73m2,{day}
"""


def test_a_csv_file_of_results_goes_through_the_same_mapping_once(admitted, lab_technician):
    patient, day = admitted.patient, timezone.localdate()
    text = CSV.format(code=patient.code, day=day)
    result = import_csv(lab_technician, text, sender="Outside lab", file_name="labs.csv")
    assert result.source.format == "csv"
    assert ("haemoglobin", 12.1, "g/dL", day) in lab_facts(patient)
    assert ("egfr", 88.0, "mL/min/1.73m2", day) in lab_facts(patient)
    before = counts()
    assert len(import_csv(lab_technician, text, sender="Outside lab").unchanged) == 2
    assert counts() == before


def test_a_bad_csv_row_is_named_and_nothing_is_saved(admitted, lab_technician):
    text = CSV.format(code=admitted.patient.code, day=timezone.localdate()) + (
        f"{admitted.patient.code},718-7,twelve,g/dL,2026-01-01\n"
    )
    before = counts()
    with pytest.raises(Refused, match="row 4: the value 'twelve' is not a number"):
        import_csv(lab_technician, text, sender="Outside lab")
    with pytest.raises(Refused, match="the header lacks unit"):
        import_csv(lab_technician, "patient_code,code,value,date\n", sender="Outside lab")
    assert counts() == before
