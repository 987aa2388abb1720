"""Where each kind of record about a patient goes in their export (docs/privacy.md).

Every model whose rows belong to a patient (a foreign key to `Patient`, or to a record that
has one) is named here with its place: in the FHIR bundle, in `records.json` (the records
no FHIR resource of ours carries yet), a file in the ZIP, or why it is not exported. A test
walks the models, so a new kind of patient record cannot be left out of the export
silently: whoever adds one decides here.
"""

BUNDLE = "record.fhir.json"
RECORDS = "records.json"
NOT_YET = "not in the export yet"

PLACES: dict[str, str] = {
    "patients.Erasure": f"{BUNDLE}: the Patient's retention extension",
    "outbox.Message": "not exported: copies of e-mails whose content the records hold",
    "intake.ConsultationRequest": f"{BUNDLE}: Consent (processing of health data)",
    "intake.Attachment": f"{BUNDLE}: DocumentReference; the file in attachments/",
    "intake.ContactNote": f"{NOT_YET}: the advisor's working notes",
    "intake.Consultation": f"{RECORDS}: consultations",
    "intake.EstimateLine": f"{RECORDS}: consultations, each with its estimate lines",
    "screening.PatientFact": f"{BUNDLE}: Condition and Observation",
    "screening.PriorTherapy": f"{NOT_YET}: prior therapies",
    "screening.Screening": f"{BUNDLE}: Encounter",
    "screening.ScreeningSignature": f"{NOT_YET}: the doctors' signatures of the decision",
    "plans.TreatmentPlan": f"{BUNDLE}: CarePlan",
    "plans.PlannedProduct": f"{BUNDLE}: the CarePlan's activities",
    "plans.PlannedTherapy": f"{BUNDLE}: the CarePlan's activities",
    "plans.PlannedHomeCare": f"{BUNDLE}: the home-care CarePlan's doses",
    "plans.QuoteLine": f"{NOT_YET}: the quote",
    "plans.PlanSignature": f"{NOT_YET}: the doctor's signature of the plan",
    "plans.QuoteAcceptance": f"{NOT_YET}: the quote's acceptance",
    "lab.ChainOfIdentity": f"{BUNDLE}: the BiologicallyDerivedProduct's identifier",
    "lab.ProductLot": f"{BUNDLE}: BiologicallyDerivedProduct",
    "lab.ProcessStep": f"{BUNDLE}: the product's processing and the harvest Procedure",
    "lab.StepReagent": "not exported: the lab's batch record of the lot, not the patient's",
    "lab.QCResult": f"{NOT_YET}: the QC results of a lot made for the patient",
    "lab.Investigation": "not exported: the lab's batch record of the lot, not the patient's",
    "lab.ExceptionalRelease": f"{NOT_YET}: the exceptional release the doctor accepted",
    "lab.LotAlert": "not exported: the lab's batch record of the lot, not the patient's",
    "lab.LabelPrint": "not exported: the lab's batch record of the lot, not the patient's",
    "lab.LotRecall": f"{NOT_YET}: a recall of a lot made for the patient",
    "cryostore.Placement": "not exported: where the lab keeps the lot",
    "cryostore.Movement": "not exported: where the lab keeps the lot",
    "cryostore.StorageConsent": f"{BUNDLE}: Consent (cryostorage)",
    "stays.Stay": f"{BUNDLE}: Encounter; the discharge letter's DocumentReference",
    "stays.Administration": f"{BUNDLE}: Procedure and its bedside Observations",
    "stays.DoseDayChange": f"{NOT_YET}: a dose moved to another day",
    "stays.AdverseEvent": f"{BUNDLE}: AdverseEvent",
    "stays.LotHold": "not exported: the lab's batch record of the lot, not the patient's",
    "followup.FollowUpItem": f"{BUNDLE}: the home-care CarePlan's check-ups",
    "followup.Appointment": f"{BUNDLE}: Appointment; {RECORDS}: appointments (with the number)",
    "followup.FollowUpEnd": f"{NOT_YET}: the end of follow-up",
    "homecare.HomeCareDose": f"{BUNDLE}: the home-care CarePlan's doses",
    "outcomes.Measurement": f"{BUNDLE}: Observation and QuestionnaireResponse",
    "outcomes.Relapse": f"{NOT_YET}: relapses",
    "outcomes.MriScan": f"{NOT_YET}: MRI scans",
    "care.DailyRound": f"{BUNDLE}: Observation",
    "care.TherapySession": f"{BUNDLE}: Procedure",
    "care.ServiceBooking": f"{NOT_YET}: interpreter, transfer and meal bookings",
    "questionnaires.DueQuestionnaire": f"{RECORDS}: questionnaires due",
    "portal.CareTeamMessage": f"{RECORDS}: messages",
    "portal.PatientReport": f"{RECORDS}: reports; the file in reports/",
    "fhir.ImportedResource": "not exported: where an imported resource came from",
}
