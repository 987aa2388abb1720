"""Forms of the stay screens: they parse input; the actions decide."""

from django import forms
from django.utils import timezone

from celltrace.stays.models import AdverseEvent

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: str, **kwargs) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    return forms.DateTimeField(label=label, widget=widget, **kwargs)


def now_for_input() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


class AdmitForm(forms.Form):
    admitted_at = datetime_field("Admitted at")
    weight_kg = forms.FloatField(
        label="Weight (kg), measured today",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "20", "max": "250"}),
    )
    room = forms.CharField(label="Room", max_length=20, required=False)


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
