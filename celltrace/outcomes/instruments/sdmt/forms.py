from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import value_field

SDMT = Measure("sdmt", "SDMT", "correct answers", 0, 110, 1, False)


class SdmtForm(forms.Form):
    sdmt = value_field(SDMT, label="Correct answers in 90 seconds (0-110)", whole=True)
    # Oral and written scores differ; one patient's course should keep to one version.
    version = forms.ChoiceField(
        label="Version", choices=[("oral", "Oral"), ("written", "Written")], initial="oral"
    )
