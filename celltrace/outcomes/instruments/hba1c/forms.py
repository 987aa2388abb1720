from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import value_field

HBA1C = Measure("hba1c", "HbA1c", "%", 3, 20, 0.1, True)


class Hba1cForm(forms.Form):
    hba1c = value_field(HBA1C, label="HbA1c (%, NGSP/DCCT)", required=False)
    hba1c_mmol_mol = forms.FloatField(
        label="or HbA1c (mmol/mol, IFCC)",
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "step": "1"}),
    )

    def clean(self):
        data = super().clean()
        given = [name for name in ("hba1c", "hba1c_mmol_mol") if data.get(name) is not None]
        if len(given) != 1:
            message = "Enter the HbA1c in one unit: % or mmol/mol." if given else "Required."
            self.add_error("hba1c", message)
        return data
