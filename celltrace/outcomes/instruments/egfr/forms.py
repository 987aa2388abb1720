from django import forms

from celltrace.outcomes.instruments.base import Measure

EGFR = Measure("egfr", "eGFR CKD-EPI 2021", "mL/min/1.73 m2", 0, 200, None, False)
MG_DL, UMOL_L = "mg_dl", "umol_l"


class EgfrForm(forms.Form):
    """Serum creatinine; age and sex are taken from the patient's record by the action."""

    creatinine = forms.FloatField(
        label="Serum creatinine (IDMS-traceable)", widget=forms.NumberInput({"step": "any"})
    )
    creatinine_unit = forms.ChoiceField(
        label="Unit", choices=[(MG_DL, "mg/dL"), (UMOL_L, "umol/L")], initial=MG_DL
    )
