from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import seconds_field

T25FW = Measure("t25fw", "Timed 25-foot walk", "seconds", 1, 180, None, True)
DEVICES = [
    ("none", "None"),
    ("cane", "Unilateral (cane or crutch)"),
    ("bilateral", "Bilateral (canes, crutches)"),
    ("walker", "Walker or rollator"),
]


class T25fwForm(forms.Form):
    trial_1 = seconds_field("Trial 1 (seconds)", limit=T25FW.high)
    trial_2 = seconds_field("Trial 2 (seconds)", limit=T25FW.high)
    assistive_device = forms.ChoiceField(label="Assistive device", choices=DEVICES)
