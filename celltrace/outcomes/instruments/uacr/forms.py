from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import value_field

UACR = Measure("uacr", "UACR", "mg/g", 0, 30000, None, True)


def _lab_field(label):
    return forms.FloatField(label=label, required=False, widget=forms.NumberInput({"step": "any"}))


class UacrForm(forms.Form):
    uacr = value_field(UACR, label="UACR (mg/g)", required=False)
    urine_albumin_mg_l = _lab_field("or urine albumin (mg/L)")
    urine_creatinine_mg_dl = _lab_field("and urine creatinine (mg/dL)")

    def clean(self):
        data = super().clean()
        ratio = data.get("uacr") is not None
        parts = [n for n in ("urine_albumin_mg_l", "urine_creatinine_mg_dl") if data.get(n) is None]
        if ratio and len(parts) < 2:
            self.add_error("uacr", "Enter the ratio, or albumin and creatinine, not both.")
        elif not ratio:
            for name in parts:
                self.add_error(name, "Required without the ratio.")
        return data
