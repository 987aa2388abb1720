"""One patient's whole journey through the real screens, in a real browser, role by role.

Playwright drives Debian's chromium (headless) against pytest-django's live server. Each
person signs in through the login form, does their step a-h of the journey and signs out;
every step leaves full-page screenshots in test-artifacts/journey/ for a human to look at.
"""

import datetime as dt
import time
import warnings

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from celltrace.web.tests.browser import ARTIFACTS, browser_page  # noqa: F401
from testkit import PASSWORD
from testkit.signin import authenticator, totp_code

pytestmark = pytest.mark.browser

CONDITION = "Multiple sclerosis"
PRODUCT = "Donor umbilical cord MSCs"
DOSE = "1000000"
PLANNED_TIME = "09:30"
FULL_NAME = "Maria Journey"
DAYS_UNTIL_FOLLOW_UP = 100  # past the 3-month check-up (day 91), so the coordinator sees it


class Journey:
    """The browser page plus what the walk through the screens needs: screenshots, sign-in."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.shots = 0
        self.missing_links = []

    def shot(self, name):
        self.shots += 1
        path = ARTIFACTS / f"{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def goto(self, path):
        self.page.goto(self.base_url + path)

    def follow(self, link_name, fallback_path, *, exact=True):
        """Click the link a person would use; if the screen lacks it, go by URL and note it."""
        link = self.page.get_by_role("link", name=link_name, exact=exact)
        if link.count():
            link.first.click()
        else:
            missing = f"{self.page.url} has no link {link_name!r}; went to {fallback_path}"
            self.missing_links.append(missing)
            warnings.warn(missing, stacklevel=2)
            self.goto(fallback_path)

    def submit(self, button_name):
        """Press a form's button and wait for the page the server answers with."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name, exact=True).click()

    def open_patient(self, patient):
        """Go to the patient's page the way staff do: the Patients list, then the name."""
        self.follow("Patients", "/patients/")
        self.page.get_by_role("link", name=patient.full_name, exact=True).click()
        self.expect_text(patient.code)

    def sign_in(self, user):
        self.goto("/login/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        device = authenticator(user)  # the app this person enrolled
        self.submit("Sign in")
        device.refresh_from_db()
        # A code counts once: a second sign-in in the same 30 seconds takes the next one,
        # which the server accepts (one step of drift either side).
        ahead = max(0, device.last_t + 1 - int(time.time() - device.t0) // device.step)
        if ahead > device.tolerance:
            time.sleep(device.step)
            ahead -= 1
        self.page.get_by_label("Code").fill(totp_code(device, steps_ahead=ahead))
        self.submit("Confirm")
        self.expect_text(f"{user.get_role_display()} dashboard")

    def sign_out(self):
        self.submit("Sign out")
        self.expect_text("Sign in")

    def expect_text(self, text):
        expect(self.page.locator("main")).to_contain_text(text)

    def expect_no_refusal(self):
        expect(self.page.locator(".refusal")).to_have_count(0)


def local_input(moment: dt.datetime) -> str:
    """The value a datetime-local input holds for a moment in the clinic's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tiny_pdf(tmp_path):
    """A real one-page PDF: the upload checker parses every PDF it keeps."""
    from celltrace.intake.tests.conftest import pdf_bytes

    path = tmp_path / "mri-report.pdf"
    path.write_bytes(pdf_bytes())
    return path


# --- a. the public form ----------------------------------------------------------------------


def submit_public_request(j, pdf):
    page = j.page
    j.goto("/intake/request/")
    j.expect_text("Ask for a free online consultation")
    page.get_by_label("Full name").fill(FULL_NAME)
    page.get_by_label("E-mail").fill("maria.journey@example.org")
    page.get_by_label("Phone").fill("+351 21 000 0000")
    page.get_by_label("Country").fill("Portugal")
    page.get_by_label("Language").fill("Portuguese")
    page.get_by_label("Condition").select_option(label=CONDITION)
    page.get_by_label("Your situation").fill(
        "Relapsing-remitting MS since 2015; walking has become harder this year."
    )
    page.get_by_label("Medical reports (optional)").set_input_files(str(pdf))
    page.get_by_label("I consent to the clinic processing my health data").check()
    j.shot("a-public-request-filled")
    j.submit("Send my request")
    j.expect_text("Thank you: we have received your request")
    j.shot("a-request-received")


# --- b. the advisor ----------------------------------------------------------------------------


def advise_and_convert(j, consultation):
    page = j.page
    j.follow("Requests", "/intake/")
    j.expect_text("Consultation requests")
    j.shot("b-advisor-queue")
    page.get_by_role("link", name=consultation.reference).click()
    j.expect_text("mri-report.pdf")
    j.submit("Claim this request")
    j.expect_text("You have claimed this request.")
    page.get_by_label("Contact note").fill(
        "Called Maria: she will send her latest MRI; explained the stay and the costs."
    )
    j.submit("Add note")
    j.expect_text("Note added.")
    j.shot("b-request-claimed-with-note")
    page.get_by_label("Date of birth").fill("1980-05-17")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Weight (kg, if known)").fill("64")
    j.submit("Create the patient record")
    j.expect_text("The patient record was created.")
    j.expect_text(FULL_NAME)
    j.shot("b-patient-created")


# --- c. screening (one function, so the rules-engine screens can replace it) ----------------


def record_lab_fact(j, *, analyte, value, unit, on, source):
    """Enter one lab result on the screening-facts screen."""
    page = j.page
    form = page.locator("form", has=page.locator("#id_lab-on"))
    page.locator("#id_lab-on").fill(on.isoformat())
    page.locator("#id_lab-provenance").fill(source)
    page.locator("#id_lab-analyte").select_option(analyte)
    page.locator("#id_lab-value").fill(value)
    page.locator("#id_lab-unit").fill(unit)
    with page.expect_navigation():
        form.get_by_role("button", name="Record").click()
    j.expect_no_refusal()


def screen_as_eligible(j, patient, today):
    """Record a fact, run the rules for donor cells on the admission day, and sign."""
    page = j.page
    j.open_patient(patient)
    j.follow("Screening facts", f"/screening/patients/{patient.pk}/facts/")
    record_lab_fact(
        j, analyte="haemoglobin", value="13.2", unit="g/dL", on=today,
        source="Blood count sent by the patient",
    )  # fmt: skip
    j.expect_text("13.2")
    j.shot("c-screening-facts")
    j.follow("Run the rules", f"/screening/patients/{patient.pk}/new/")
    page.get_by_label("Planned treatment date").fill(today.isoformat())
    page.get_by_label("Allogeneic (donor cells)").check()
    j.submit("Run the rules")
    j.expect_no_refusal()
    j.expect_text("Eligible")
    j.shot("c-screening-rule-results")
    sign_screening(j)
    j.expect_text("1 of 2 signatures")


def sign_screening(j):
    j.page.get_by_label("Your password").fill(PASSWORD)
    j.submit("Sign")
    j.expect_no_refusal()


def second_signature(j, patient):
    """The second doctor of the team opens the decision and signs it: now it is final."""
    j.open_patient(patient)
    j.page.get_by_role("link", name="Eligible", exact=False).first.click()
    sign_screening(j)
    j.expect_text("final")
    j.shot("c-screening-final-after-two-signatures")


def day_one_screen(j, patient, today):
    """On the ward: record today's fresh blood count and screen again before any product."""
    j.open_patient(patient)
    j.follow("Screening facts", f"/screening/patients/{patient.pk}/facts/")
    record_lab_fact(
        j, analyte="haemoglobin", value="13.0", unit="g/dL", on=today,
        source="Admission blood count",
    )  # fmt: skip
    j.follow("Day-one screening of the stay", "/stays/")
    j.submit("Screen again with today's facts")
    j.expect_no_refusal()
    j.shot("f-day-one-screening")


# --- d. the plan and its quote -------------------------------------------------------------


def make_plan(j, patient, today):
    page = j.page
    j.follow(f"← {patient}", f"/patients/{patient.pk}/")
    j.follow("Make a plan", f"/plans/patients/{patient.pk}/new/")
    page.get_by_label("Weight (kg)").fill("64")
    page.get_by_label("Admission date").fill(today.isoformat())
    page.get_by_label("Discharge date").fill((today + dt.timedelta(days=5)).isoformat())
    page.get_by_label("Product 1", exact=True).select_option(label=PRODUCT)
    page.locator("#id_products-0-route").select_option("intravenous")
    page.locator("#id_products-0-dose_per_kg").fill(DOSE)
    # Given on the admission day: the bedside gate refuses any other day than the planned one.
    page.locator("#id_products-0-day_of_stay").fill("1")
    # The time of day comes prefilled (10:00); the doctor plans it after the morning round.
    assert page.locator("#id_products-0-planned_time").input_value() == "10:00"
    page.locator("#id_products-0-planned_time").fill(PLANNED_TIME)
    page.get_by_label("Therapy 1", exact=True).select_option(label="Physiotherapy")
    page.locator("#id_therapies-0-sessions").fill("5")
    page.get_by_label("Your password").fill(PASSWORD)
    j.shot("d-plan-form")
    j.submit("Sign and save the plan and its quote")
    j.expect_no_refusal()
    j.expect_text(" saved. Quote total:")
    j.expect_text("Total")
    j.expect_text(PLANNED_TIME)
    j.shot("d-plan-and-quote")


# --- e. the lab: a donor lot, QC, release, allocation --------------------------------------


def qc_value_within(spec) -> float:
    """A value that meets a numeric specification."""
    if spec.minimum is not None and spec.maximum is not None:
        return (spec.minimum + spec.maximum) / 2
    if spec.minimum is not None:
        return spec.minimum * 1.05
    return spec.maximum / 2


def make_and_test_donor_lot(j, now):
    from celltrace.catalog.models import QCSpecification

    page = j.page
    j.follow("Lots", "/lab/lots/")
    j.follow("Register a donor lot", "/lab/donor-lots/new/")
    page.get_by_label("Product").select_option(label=PRODUCT)
    page.get_by_label("Donor:", exact=True).select_option(label="Donor UC-DONOR-0042")
    page.get_by_label("Tissue received at").fill(local_input(now - dt.timedelta(days=1)))
    j.submit("Register the lot")
    j.expect_text("Chain of identity")
    j.shot("e-donor-lot-registered")
    # The product's process from the catalog, in order: the form offers only the next step.
    for step in ("Separation (centrifuge)", "Cultivation, passage 1"):
        page.get_by_label("Step").select_option(label=step)
        page.get_by_label("Performed at").fill(local_input(now - dt.timedelta(hours=4)))
        j.submit("Record the step")
        j.expect_no_refusal()
    page.get_by_label("Step").select_option(label="Formulation")
    page.get_by_label("Performed at").fill(local_input(now - dt.timedelta(hours=3)))
    page.get_by_label("Viable content (formulation)").fill("1e8")
    page.get_by_label("Volume, mL (formulation)").fill("20")
    j.submit("Record the step")
    j.expect_no_refusal()
    specs = QCSpecification.objects.filter(product__name=PRODUCT)
    for spec in specs:
        page.get_by_label("Test:", exact=True).select_option(label=spec.get_test_display())
        if spec.is_pass_fail:
            page.get_by_label("Measured value").fill("")
            page.get_by_label("Verdict (pass/fail tests)").select_option(label="Pass")
        else:
            page.get_by_label("Measured value").fill(f"{qc_value_within(spec):g}")
            page.get_by_label("Verdict (pass/fail tests)").select_option(value="")
        page.get_by_label("Tested at").fill(local_input(now - dt.timedelta(hours=2)))
        j.submit("Record the result")
        j.expect_no_refusal()
    j.expect_text("Ready for release")
    j.shot("e-every-qc-result-passed")


def release_lot(j, lot):
    page = j.page
    j.follow("Lots", "/lab/lots/")
    page.get_by_role("link", name=lot.code).click()
    page.get_by_label("Your password").fill(PASSWORD)
    j.submit("Release the lot")
    j.expect_no_refusal()
    j.expect_text("Released")
    # The electronic signature: printed name, meaning, bound to the record as it stands.
    j.expect_text("matches the signed record")
    j.shot("e-lot-released")
    certificate = page.request.get(page.url.rstrip("/") + "/certificate.pdf")
    assert certificate.headers["content-type"] == "application/pdf"
    assert b"Certificate of analysis" in certificate.body()


def print_container_label(j, lot):
    """The lab prints the container label: a PDF with the DIN's barcodes, the print counted."""
    from celltrace.lab.models import LabelPrint

    page = j.page
    j.follow("Lots", "/lab/lots/")
    page.get_by_role("link", name=lot.code).click()
    page.get_by_label("Label:", exact=True).select_option(value="container")
    with page.expect_download() as download:
        page.get_by_role("button", name="Print").click()
    assert download.value.suggested_filename == f"labels-{lot.din}-00-container.pdf"
    assert LabelPrint.objects.filter(lot=lot, kind="container").count() == 1


def show_the_lab_board(j, plan):
    j.follow("Lab board", "/lab/worklist/")
    j.expect_text("Lab board")
    j.expect_text(f"#{plan.label}")
    j.shot("e-lab-board")


def allocate_lot(j, lot, plan):
    page = j.page
    j.follow("Lots", "/lab/lots/")
    page.get_by_role("link", name=lot.code).click()
    page.get_by_label("Plan").select_option(value=str(plan.pk))
    j.submit("Allocate")
    j.expect_no_refusal()
    j.expect_text(f"Plan #{plan.pk}")
    j.shot("e-lot-allocated")


# --- f. the ward: admission, administration at the bedside, an adverse event ---------------


def admit(j, patient, now, *, bed, doctor):
    page = j.page
    j.follow("Ward", "/stays/")
    page.get_by_role("row", name=patient.code).get_by_role("link", name="Admit").click()
    page.get_by_label("Admitted at").fill(local_input(now - dt.timedelta(minutes=30)))
    page.get_by_label("Bed:", exact=True).select_option(value=str(bed.pk))
    page.get_by_label("Attending doctor").select_option(value=str(doctor.pk))
    page.get_by_label("Weight (kg), measured today").fill("64")
    j.shot("f-admission-form")
    j.submit("Admit")
    j.expect_no_refusal()
    j.expect_text("on the ward")
    j.shot("f-admitted")


def scan(j, *, patient_code, lot_code):
    page = j.page
    page.get_by_label("Patient wristband ID").fill(patient_code)
    page.get_by_label("Lot ID (label on the bag or syringe)").fill(lot_code)
    j.submit("Check")


def fill_administration(j, *, given_at):
    """The second step: the dose is the plan's; the nurse confirms with time and vitals."""
    page = j.page
    page.get_by_label("Time given").fill(local_input(given_at))
    page.get_by_label("Temperature (°C)").fill("36.8")
    page.get_by_label("Heart rate (beats/min)").fill("72")
    page.get_by_label("Systolic blood pressure (mmHg)").fill("122")
    page.get_by_label("Diastolic blood pressure (mmHg)").fill("78")
    page.get_by_label("SpO2 (%)").fill("98")
    j.submit("Record administration")


def administer_at_bedside(j, patient, lot, now):
    from celltrace.stays.models import Administration

    j.follow("Ward", "/stays/")
    j.follow("Give a product (scan wristband and lot)", "/stays/administer/")
    scan(j, patient_code=patient.code, lot_code="LOT-NOT-ON-ANY-LABEL")
    j.expect_text("Do not give")
    j.expect_text("No lot has the ID LOT-NOT-ON-ANY-LABEL.")
    assert not Administration.objects.exists()
    j.shot("f-bedside-refusal-wrong-lot")
    j.follow("Scan again", "/stays/administer/")
    from celltrace.clinical import isbt128

    # The label's DIN barcode, as the hand scanner sends it (ISBT 128 data structure 001).
    scan(j, patient_code=patient.code, lot_code=isbt128.Din(lot.din).data_string())
    # The planned day, its date and the planned time; far from that time, a notice only.
    j.expect_text(f"Day 1 ({timezone.localdate(now).isoformat()}) at {PLANNED_TIME}")
    j.shot("f-bedside-confirm")
    fill_administration(j, given_at=now)
    j.expect_no_refusal()
    j.expect_text(f"lot {lot.code}")
    assert Administration.objects.filter(lot=lot, stay__patient=patient).count() == 1
    j.shot("f-product-given")


def report_headache(j, now, lot):
    """The nurse reports a headache that may come from the infusion: linked to the lot, open."""
    page = j.page
    page.get_by_role("link", name="Report an adverse event").click()
    page.get_by_label("Event:", exact=True).select_option(label="Headache")
    page.get_by_label("Onset").fill(local_input(now))
    page.get_by_label("CTCAE grade").select_option(label="1 - mild")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Related to the treatment").select_option(label="Possible")
    page.get_by_label("Administration it may come from").select_option(index=1)
    page.get_by_label("Outcome").select_option(label="Recovering")
    page.get_by_label("Description").fill("Mild headache two hours after the infusion.")
    j.shot("f-adverse-event-form")
    j.submit("Report")
    j.expect_no_refusal()
    j.expect_text("Headache")
    j.expect_text(lot.code)
    j.shot("f-adverse-event-reported")


def resolve_headache(j, patient, now):
    """Later, the doctor follows the event to its end: recovered, with the time it resolved."""
    page = j.page
    open_stay(j, patient)
    page.get_by_role("link", name="Update", exact=True).first.click()
    page.get_by_label("Outcome").select_option(label="Recovered")
    page.get_by_label("Resolved at").fill(local_input(now))
    j.submit("Save")
    j.expect_no_refusal()
    j.shot("f-adverse-event-resolved")


# --- f'. ward care: services before arrival, the daily round, a therapy session ------------


def book_services(j, patient, plan, discharge_day):
    """The coordinator books an interpreter and the departure transfer on the plan."""
    page = j.page
    j.open_patient(patient)
    page.get_by_role("link", name=f"Plan #{plan.pk}", exact=False).first.click()
    page.get_by_role("link", name="interpreter", exact=True).click()
    expect(page.get_by_label("Language")).to_have_value("Portuguese")
    j.submit("Save")
    j.expect_no_refusal()
    j.expect_text("Interpreter booked.")
    page.get_by_role("link", name="airport transfer", exact=True).click()
    page.get_by_label("Direction").select_option(value="departure")
    page.get_by_label("Flight number").fill("TP 1350")
    pickup = timezone.make_aware(dt.datetime.combine(discharge_day, dt.time(9, 30)))
    page.get_by_label("Pickup time").fill(local_input(pickup))
    page.get_by_label("Pickup place").fill("The clinic's entrance")
    j.submit("Save")
    j.expect_no_refusal()
    j.expect_text("TP1350")
    j.shot("d-services-booked")


def open_stay(j, patient):
    from celltrace.stays.models import Stay

    j.open_patient(patient)
    j.page.get_by_role("link", name=str(Stay.objects.get(patient=patient))).click()


def record_round(j, patient):
    """The doctor's daily check-up: vital signs, pain, neurological status, the day's plan."""
    page = j.page
    open_stay(j, patient)
    j.expect_text("No round today")
    page.get_by_role("link", name="Record today's round").click()
    page.get_by_label("Temperature (°C)").fill("36.9")
    page.get_by_label("Heart rate (beats/min)").fill("74")
    page.get_by_label("Systolic blood pressure (mmHg)").fill("124")
    page.get_by_label("Diastolic blood pressure (mmHg)").fill("79")
    page.get_by_label("SpO2 (%)").fill("97")
    page.get_by_label("Pain (0 none to 10 worst)").fill("2")
    page.get_by_label("Neurological status").select_option(label="Stable")
    page.get_by_label("Plan for the day").fill("Rest after the infusion; physiotherapy later.")
    j.submit("Record the round")
    j.expect_no_refusal()
    j.expect_text("Daily round recorded.")
    expect(j.page.locator("main")).not_to_contain_text("No round today")
    j.shot("f-round-recorded")


def schedule_therapy(j, patient, first_session_at):
    """The doctor schedules the plan's sessions and moves the first to this afternoon."""
    page = j.page
    open_stay(j, patient)
    j.submit("Schedule the therapy sessions")
    j.expect_text("therapy sessions scheduled.")
    page.get_by_role("link", name="Move", exact=True).first.click()
    page.get_by_label("New time").fill(local_input(first_session_at))
    page.get_by_label("Therapist").fill("Rui Physio")
    j.submit("Save")
    j.expect_no_refusal()
    j.shot("f-therapy-sessions-scheduled")


def record_therapy_session(j, patient):
    page = j.page
    open_stay(j, patient)
    page.get_by_role("link", name="Record", exact=True).first.click()
    page.get_by_label("Given", exact=True).check()
    j.submit("Save")
    j.expect_no_refusal()
    j.shot("f-therapy-session-given")


# --- g. discharge and follow-up ------------------------------------------------------------


def discharge(j, patient):
    page = j.page
    open_stay(j, patient)
    page.get_by_label("Discharged at").fill(local_input(timezone.now()))
    page.get_by_label("Before the planned discharge date: why").fill("Feels well; flies home.")
    page.get_by_label("Your password").fill(PASSWORD)
    j.submit("Discharge")
    j.expect_no_refusal()
    j.expect_text("discharged")
    j.shot("g-discharged")


def print_discharge_letter(j, lot):
    """The letter for the patient and their home doctor: a PDF saying what was given."""
    link = j.page.get_by_role("link", name="Discharge letter (PDF)")
    response = j.page.context.request.get(j.base_url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    letter = response.body()
    assert letter.startswith(b"%PDF") and lot.code.encode() in letter
    assert b"Headache" in letter and b"Physiotherapy" in letter and b"Check-up" in letter


# --- h. outcomes -----------------------------------------------------------------------------


def record_measurement(j, patient, *, value, timepoint, measured_on):
    page = j.page
    j.open_patient(patient)
    j.follow("Record a measurement", f"/outcomes/patients/{patient.pk}/new/", exact=False)
    page.get_by_label("Instrument").select_option(label="EDSS (0-10)")
    page.get_by_label("Value").fill(value)
    page.get_by_label("Timepoint").select_option(label=timepoint)
    page.get_by_label("Measured on").fill(measured_on.isoformat())
    j.submit("Record")
    j.expect_no_refusal()
    j.expect_text("Recorded:")


# --- the journey -----------------------------------------------------------------------------


def test_one_patient_goes_from_the_public_form_to_the_outcome_report(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
    tmp_path,
    time_machine,
    site,
    catalog,
    advisor,
    doctor,
    second_doctor,
    lab_technician,
    quality_reviewer,
    nurse,
    coordinator,
    manager,
):
    from celltrace.care.models import TherapySession
    from celltrace.followup.models import FollowUpItem
    from celltrace.intake.models import ConsultationRequest
    from celltrace.lab.models import ProductLot
    from celltrace.lab.tests.helpers import make_donor
    from celltrace.outcomes.models import Measurement
    from celltrace.stays.models import AdverseEvent, Stay
    from testkit.journey import make_bed
    from testkit.samples import record_normal_facts

    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    j = Journey(browser_page, live_server.url)
    today = timezone.localdate()

    # a. Anyone asks for a consultation, with a medical report.
    submit_public_request(j, tiny_pdf(tmp_path))
    consultation = ConsultationRequest.objects.get()
    assert consultation.full_name == FULL_NAME
    assert consultation.attachments.count() == 1

    # b. The advisor claims it, notes the call and turns the person into a patient.
    j.sign_in(advisor)
    advise_and_convert(j, consultation)
    consultation.refresh_from_db()
    patient = consultation.patient
    assert patient is not None and patient.weight_kg == 64
    j.sign_out()

    # c. A doctor records facts, runs the rules and signs; a second doctor's signature makes
    # the decision final. The rest of the screening facts (the full lab panel, the yes/no
    # questions, the history review) come from the patient's reports, entered here directly.
    record_normal_facts(
        patient, doctor, skip=("haemoglobin",), provenance="Reports sent by the patient"
    )
    j.sign_in(doctor)
    screen_as_eligible(j, patient, today)
    j.sign_out()
    # d. The second doctor signs and makes the plan with its quote.
    j.sign_in(second_doctor)
    second_signature(j, patient)
    make_plan(j, patient, today)
    plan = patient.plans.get()
    assert plan.quote_total > 0
    j.sign_out()

    # d'. The coordinator books the interpreter and the ride to the airport.
    j.sign_in(coordinator)
    book_services(j, patient, plan, plan.discharge_date)
    assert plan.bookings.filter(cancelled_at__isnull=True).count() == 2
    j.sign_out()

    # e. The lab makes and tests a donor lot, quality releases it, the lab allocates it. The
    # donor was registered, tested and determined eligible beforehand (their own pages).
    make_donor(site, lab_technician, code="UC-DONOR-0042", determiner=doctor)
    j.sign_in(lab_technician)
    make_and_test_donor_lot(j, timezone.now())
    lot = ProductLot.objects.get()
    j.sign_out()
    j.sign_in(quality_reviewer)
    release_lot(j, lot)
    j.sign_out()
    j.sign_in(lab_technician)
    allocate_lot(j, lot, plan)
    lot.refresh_from_db()
    assert lot.status == ProductLot.Status.RELEASED and lot.plan == plan
    print_container_label(j, lot)
    show_the_lab_board(j, plan)
    j.sign_out()

    # f. The nurse admits to a free bed with an attending doctor, gives the product at the
    # bedside and reports a side effect that may come from the lot.
    j.sign_in(nurse)
    admit(j, patient, timezone.now(), bed=make_bed(site), doctor=doctor)
    assert Stay.objects.get().doctor == doctor
    day_one_screen(j, patient, today)
    administer_at_bedside(j, patient, lot, timezone.now())
    report_headache(j, timezone.now(), lot)
    event = AdverseEvent.objects.get()
    assert (event.ctcae_grade, event.lot, event.resolved_at) == (1, lot, None)
    j.sign_out()

    # f'. The doctor's round, and the therapy sessions; a nurse records the first as given.
    j.sign_in(doctor)
    record_round(j, patient)
    first_session_at = timezone.now() + dt.timedelta(minutes=5)
    schedule_therapy(j, patient, first_session_at)
    j.sign_out()
    time_machine.move_to(first_session_at + dt.timedelta(minutes=50), tick=True)
    j.sign_in(nurse)
    record_therapy_session(j, patient)
    assert TherapySession.objects.filter(status="given").count() == 1
    j.sign_out()

    # g. The doctor resolves the headache and discharges; the follow-up schedule appears, and
    # the discharge letter prints.
    j.sign_in(doctor)
    resolve_headache(j, patient, timezone.now())
    event.refresh_from_db()
    assert event.outcome == "recovered" and event.resolved_at is not None
    discharge(j, patient)
    print_discharge_letter(j, lot)
    assert Stay.objects.get().discharged_at is not None
    assert FollowUpItem.objects.filter(patient=patient).count() > 0
    j.open_patient(patient)
    j.expect_text("Check-up 3 months after the first administration")
    j.shot("g-follow-up-schedule-on-patient-page")
    j.sign_out()

    # A hundred days later: the 3-month check-up is overdue for the coordinator.
    later = timezone.now() + dt.timedelta(days=DAYS_UNTIL_FOLLOW_UP)
    time_machine.move_to(later, tick=True)
    j.sign_in(coordinator)
    j.follow("Follow-up", "/followup/overdue/")
    j.expect_text("Check-up 3 months after the first administration")
    j.expect_text(FULL_NAME)
    j.shot("g-coordinator-overdue-follow-up")
    # The patient is on the overdue list and, for the coming weeks' items, the upcoming one.
    j.page.get_by_role("link", name=FULL_NAME).first.click()
    j.expect_text("Check-up 3 months after the first administration")
    j.shot("g-coordinator-sees-the-schedule")
    j.sign_out()

    # h. The doctor records the baseline (measured on the treatment day) and, as a
    # follow-up value must come after the first treatment, the follow-up of today.
    j.sign_in(doctor)
    record_measurement(j, patient, value="4", timepoint="Baseline", measured_on=today)
    j.shot("h-baseline-recorded")
    record_measurement(
        j, patient, value="3.5", timepoint="Follow-up", measured_on=timezone.localdate()
    )
    j.shot("h-follow-up-recorded")
    assert Measurement.objects.filter(patient=patient).count() == 2
    j.sign_out()

    j.sign_in(manager)
    j.follow("Outcomes", "/outcomes/")
    row = j.page.get_by_role("row", name=CONDITION)
    expect(row.get_by_role("cell").last).to_have_text("1")
    j.shot("h-outcomes-by-condition")
    row.get_by_role("link", name=CONDITION).click()
    j.expect_text("Uncontrolled treatment registry (case series), not a controlled trial")
    flow = j.page.get_by_role("table", name="From enquiry to treatment", exact=False)
    expect(flow.get_by_role("cell").last).to_have_text("1")  # treated
    # One treated patient: counts only, never a mean, an interval or a percentage.
    expect(j.page.get_by_text("n < 10: counts only").first).to_be_visible()
    j.shot("h-condition-outcomes")
    j.sign_out()

    steps_shown = {shot.name.split("-")[1] for shot in ARTIFACTS.glob("*.png")}
    assert steps_shown == set("abcdefgh")
