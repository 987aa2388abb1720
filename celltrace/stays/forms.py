"""Forms of the stay screens: they parse input; the actions decide."""

from django import forms
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.catalog.models import Route
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


class AssignDoctorForm(WardChoicesForm):
    doctor = _doctor_field()


class MoveBedForm(WardChoicesForm):
    bed = _bed_field()


def _number(label, *, low, high, step="1", integer=True):
    attrs = {"min": low, "max": high, "step": step, "inputmode": "decimal"}
    field = forms.IntegerField if integer else forms.FloatField
    return field(label=label, widget=forms.NumberInput(attrs=attrs))


class AdministrationForm(forms.Form):
    patient_code = forms.CharField(
        label="Patient wristband ID",
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "data-scan": ""}),
    )
    lot_code = forms.CharField(
        label="Lot ID (label on the bag or syringe)",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-scan": ""}),
    )
    dose_cells_per_kg = forms.FloatField(
        label="Dose (cells/kg)", widget=forms.NumberInput(attrs={"step": "any", "min": "0"})
    )
    route = forms.ChoiceField(label="Route", choices=Route.choices)
    given_at = datetime_field("Time given")
    temperature_c = _number("Temperature (°C)", low=30, high=45, step="0.1", integer=False)
    heart_rate = _number("Heart rate (beats/min)", low=20, high=250)
    systolic_bp = _number("Systolic blood pressure (mmHg)", low=50, high=260)
    diastolic_bp = _number("Diastolic blood pressure (mmHg)", low=20, high=160)
    spo2 = _number("SpO2 (%)", low=50, high=100)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


# The side effects the clinic watches for (DOMAIN section 5), offered as suggestions.
COMMON_TERMS = (
    "Fever",
    "Flu-like symptoms",
    "Pain",
    "Headache",
    "Local inflammation and swelling",
    "Nausea and vomiting",
    "Dyspepsia",
)


class AdverseEventForm(forms.Form):
    term = forms.CharField(
        label="Event", max_length=120, widget=forms.TextInput(attrs={"list": "ae-terms"})
    )
    onset_at = datetime_field("Onset")
    ctcae_grade = forms.TypedChoiceField(
        label="CTCAE grade",
        coerce=int,
        choices=[
            (1, "1 - mild"),
            (2, "2 - moderate"),
            (3, "3 - severe"),
            (4, "4 - life-threatening"),
            (5, "5 - death"),
        ],
    )
    serious = forms.TypedChoiceField(
        label="Serious adverse event?",
        coerce=lambda value: value == "yes",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="Grades 4 and 5 are always serious; a report saying otherwise is refused.",
    )
    relatedness = forms.ChoiceField(
        label="Related to the treatment", choices=AdverseEvent.Relatedness.choices
    )
    outcome = forms.ChoiceField(label="Outcome", choices=AdverseEvent.Outcome.choices)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)


class DischargeForm(forms.Form):
    discharged_at = datetime_field("Discharged at")
