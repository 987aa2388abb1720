"""Forms of the outcome screens: they parse input; the actions decide."""

from django import forms

from celltrace.outcomes.exam_forms import date_field
from celltrace.outcomes.instruments import measure_choices
from celltrace.outcomes.models import Timepoint


class MeasurementForm(forms.Form):
    instrument = forms.ChoiceField(label="Instrument", choices=measure_choices)
    value = forms.FloatField(label="Value", widget=forms.NumberInput(attrs={"step": "any"}))
    timepoint = forms.ChoiceField(label="Timepoint", choices=Timepoint.choices)
    measured_on = date_field("Measured on")


class MeasuredOnForm(forms.Form):
    """The date of one administration of an instrument; its answers are the instrument's form."""

    measured_on = date_field("Measured on")
