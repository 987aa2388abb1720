"""Forms of the outcome screens: they parse input; the actions decide."""

from django import forms

from celltrace.outcomes.models import Instrument, Timepoint


class MeasurementForm(forms.Form):
    instrument = forms.ChoiceField(label="Instrument", choices=Instrument.choices)
    value = forms.FloatField(label="Value", widget=forms.NumberInput(attrs={"step": "any"}))
    timepoint = forms.ChoiceField(label="Timepoint", choices=Timepoint.choices)
    measured_on = forms.DateField(
        label="Measured on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
