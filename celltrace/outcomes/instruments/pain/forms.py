from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import value_field

PAIN = Measure("pain", "Pain NRS", "points", 0, 10, 1, True)


class PainForm(forms.Form):
    pain = value_field(PAIN, label="Average pain in the last week (0 none, 10 worst)", whole=True)
