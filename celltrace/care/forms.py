"""Forms of the care screens: they parse input; the actions decide."""

from django import forms

from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.clinical.administration import VITAL_RANGES
from celltrace.stays.forms import datetime_field

_text = {"widget": forms.Textarea(attrs={"rows": 2}), "required": False}


def _vital(field: str) -> forms.Field:
    low, high, label, unit = VITAL_RANGES[field]
    decimal = isinstance(low, float)
    attrs = {"min": low, "max": high, "step": "0.1" if decimal else "1"}
    kind = forms.FloatField if decimal else forms.IntegerField
    return kind(label=f"{label} ({unit})", widget=forms.NumberInput(attrs=attrs))


class RoundForm(forms.Form):
    taken_at = datetime_field("Seen at")
    temperature_c = _vital("temperature_c")
    heart_rate = _vital("heart_rate")
    systolic_bp = _vital("systolic_bp")
    diastolic_bp = _vital("diastolic_bp")
    spo2 = _vital("spo2")
    pain_nrs = forms.IntegerField(
        label="Pain (0 none to 10 worst)", widget=forms.NumberInput(attrs={"min": 0, "max": 10})
    )
    neuro_status = forms.ChoiceField(
        label="Neurological status", choices=DailyRound.NeuroStatus.choices
    )
    neuro_notes = forms.CharField(label="Neurological findings", **_text)
    notes = forms.CharField(label="Notes", **_text)
    plan_for_day = forms.CharField(label="Plan for the day", **_text)


class RescheduleForm(forms.Form):
    scheduled_for = datetime_field("New time")
    therapist = forms.CharField(label="Therapist", max_length=120, required=False)
    room = forms.CharField(label="Room", max_length=40, required=False)


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        label="Session",
        choices=[c for c in TherapySession.Status.choices if c[0] != "scheduled"],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why was it missed?", **_text)


class InterpreterForm(forms.Form):
    language = forms.CharField(label="Language", max_length=40, required=False)
    notes = forms.CharField(label="Notes", **_text)


class TransferForm(forms.Form):
    direction = forms.ChoiceField(label="Direction", choices=ServiceBooking.Direction.choices)
    flight_number = forms.CharField(label="Flight number", max_length=10, required=False)
    scheduled_at = datetime_field("Pickup time")
    pickup_place = forms.CharField(label="Pickup place", max_length=160, required=False)
    notes = forms.CharField(label="Notes", **_text)


class MealsForm(forms.Form):
    diet = forms.ChoiceField(label="Diet", choices=ServiceBooking.Diet.choices)
    notes = forms.CharField(label="Notes", **_text)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is it cancelled?", **_text)
