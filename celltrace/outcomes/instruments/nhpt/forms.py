from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import seconds_field

NHPT = Measure("nhpt", "9-hole peg test", "seconds", 1, 300, None, True)


class NhptForm(forms.Form):
    dominant_hand = forms.ChoiceField(
        label="Dominant hand", choices=[("right", "Right"), ("left", "Left")]
    )
    dominant_1 = seconds_field("Dominant hand, trial 1 (seconds)", limit=NHPT.high)
    dominant_2 = seconds_field("Dominant hand, trial 2 (seconds)", limit=NHPT.high)
    non_dominant_1 = seconds_field("Non-dominant hand, trial 1 (seconds)", limit=NHPT.high)
    non_dominant_2 = seconds_field("Non-dominant hand, trial 2 (seconds)", limit=NHPT.high)
