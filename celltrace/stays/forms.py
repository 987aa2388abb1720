"""Forms of the stay screens: they parse input; the actions decide."""

from django import forms
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.catalog.models import AdverseEventTerm
from celltrace.stays import occupancy
from celltrace.stays.models import AdverseEvent
from celltrace.ward.models import Bed

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: str, **kwargs) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    return forms.DateTimeField(label=label, widget=widget, **kwargs)


def now_for_input() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


def bed_label(bed) -> str:
    return f"{bed}, ♿ accessible" if bed.room.accessible else str(bed)


class WardChoicesForm(forms.Form):
    """Offers the site's free beds and its doctors with their load; the action decides.

    The fields accept any bed and any user of the site, so one taken or filled a moment ago
    gets the action's own reason rather than "not a valid choice".
    """

    def __init__(self, *args, site_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        if bed := self.fields.get("bed"):
            bed.queryset = Bed.objects.select_related("room").filter(room__site_id=site_id)
            beds = occupancy.free_beds(site_id)
            bed.choices = [("", "Choose a free bed")] + [(b.pk, bed_label(b)) for b in beds]
        if doctor := self.fields.get("doctor"):
            doctor.queryset = User.objects.filter(site_id=site_id)
            loads = occupancy.doctor_loads(site_id)
            doctor.choices = [("", "Choose a doctor")] + [(d.doctor.pk, str(d)) for d in loads]


def _bed_field():
    return forms.ModelChoiceField(label="Bed", queryset=Bed.objects.none())


def _doctor_field():
    return forms.ModelChoiceField(
        label="Attending doctor",
        queryset=User.objects.none(),
        help_text="Patients each doctor attends now, and at most.",
    )


class AdmitForm(WardChoicesForm):
    admitted_at = datetime_field("Admitted at")
    bed = _bed_field()
    doctor = _doctor_field()
    weight_kg = forms.FloatField(
        label="Weight (kg), measured today",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "20", "max": "250"}),
    )


class AssignDoctorForm(WardChoicesForm):
    doctor = _doctor_field()


class MoveBedForm(WardChoicesForm):
    bed = _bed_field()


def _number(label, *, low, high, step="1", integer=True):
    attrs = {"min": low, "max": high, "step": step, "inputmode": "decimal"}
    field = forms.IntegerField if integer else forms.FloatField
    return field(label=label, widget=forms.NumberInput(attrs=attrs))


def _scan(label: str, **attrs) -> forms.CharField:
    attrs = {"autocomplete": "off", "data-scan": "", **attrs}
    return forms.CharField(label=label, max_length=40, widget=forms.TextInput(attrs=attrs))


class ScanForm(forms.Form):
    """Step one at the bedside: the wristband and the lot's label, scanned."""

    patient_code = _scan("Patient wristband ID", autofocus=True)
    lot_code = _scan("Lot ID (label on the bag or syringe)")


class GiveForm(forms.Form):
    """Step two: the nurse confirms with the time and vital signs; the dose is the plan's."""

    given_at = datetime_field("Time given")
    temperature_c = _number("Temperature (°C)", low=30, high=45, step="0.1", integer=False)
    heart_rate = _number("Heart rate (beats/min)", low=20, high=250)
    systolic_bp = _number("Systolic blood pressure (mmHg)", low=50, high=260)
    diastolic_bp = _number("Diastolic blood pressure (mmHg)", low=20, high=160)
    spo2 = _number("SpO2 (%)", low=50, high=100)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


class DayChangeForm(forms.Form):
    day = forms.IntegerField(label="Day of the stay", min_value=1)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


GRADE_CHOICES = [
    (1, "1 - mild"),
    (2, "2 - moderate"),
    (3, "3 - severe"),
    (4, "4 - life-threatening"),
    (5, "5 - death"),
]


def _serious_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Serious adverse event?",
        coerce=lambda value: value == "yes",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="Grades 4 and 5 are always serious; a report saying otherwise is refused.",
    )


def _administration_field(stay) -> forms.TypedChoiceField:
    given = stay.administrations.select_related("lot__product")
    choices = [("", "None: the event is not related to a product given")]
    choices += [
        (a.pk, f"{a.given_at:%Y-%m-%d %H:%M}, lot {a.lot.code} ({a.lot.product})") for a in given
    ]
    return forms.TypedChoiceField(
        label="Administration it may come from",
        coerce=int,
        empty_value=None,
        required=False,
        choices=choices,
        help_text="Required when the event may be related to the treatment.",
    )


class _EventFollowUpFields(forms.Form):
    """The fields that follow an event until it is resolved: shared by report and update."""

    ctcae_grade = forms.TypedChoiceField(label="CTCAE grade", coerce=int, choices=GRADE_CHOICES)
    serious = _serious_field()
    relatedness = forms.ChoiceField(
        label="Related to the treatment", choices=AdverseEvent.Relatedness.choices
    )
    outcome = forms.ChoiceField(label="Outcome", choices=AdverseEvent.Outcome.choices)
    resolved_at = datetime_field(
        "Resolved at",
        required=False,
        help_text="Only when the outcome is recovered, recovered with sequelae or fatal.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)

    def __init__(self, *args, stay, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration_id"] = _administration_field(stay)


class AdverseEventForm(_EventFollowUpFields):
    term = forms.ChoiceField(label="Event", help_text="CTCAE v5.0 terms, by system organ class.")
    term_detail = forms.CharField(
        label="Specify", max_length=120, required=False, help_text='Required for "Other, specify".'
    )
    onset_at = datetime_field("Onset")
    field_order = ["term", "term_detail", "onset_at"]

    def __init__(self, *args, stay, **kwargs):
        super().__init__(*args, stay=stay, **kwargs)
        by_soc: dict[str, list[tuple[str, str]]] = {}
        for term in AdverseEventTerm.objects.filter(active=True).order_by("soc", "term"):
            by_soc.setdefault(term.soc, []).append((term.code, term.term))
        self.fields["term"].choices = [("", "Choose a term"), *by_soc.items()]


class AdverseEventUpdateForm(_EventFollowUpFields):
    pass


class ClearHoldForm(forms.Form):
    review_note = forms.CharField(
        label="Review",
        widget=forms.Textarea,
        help_text="What the review found, and why the lot may be given.",
    )


class DischargeForm(forms.Form):
    discharged_at = datetime_field("Discharged at")
    open_events_reason = forms.CharField(
        label="Open adverse events: why discharge now",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed while an adverse event is still open; it is carried to follow-up.",
    )
    missed_doses_reason = forms.CharField(
        label="Planned doses not given: why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    early_discharge_reason = forms.CharField(
        label="Before the planned discharge date: why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    password = forms.CharField(
        label="Your password",
        # Checked by the signature service, after the discharge rules: a missing password
        # is a wrong one, counted towards the lockout like any other.
        required=False,
        widget=forms.PasswordInput,
        help_text="Typed again: the discharge is signed.",
    )
