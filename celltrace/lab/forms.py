"""Lab forms: start a lot, add a step or a QC result, reject, allocate."""

from django import forms

from celltrace.catalog.models import CellProduct, Source
from celltrace.lab.actions import LATER_STEPS

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AutologousLotForm(forms.Form):
    product = forms.ModelChoiceField(CellProduct.objects.none())
    harvested_at = forms.DateTimeField(widget=WHEN, label="Harvested at")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = CellProduct.objects.filter(
            source=Source.AUTOLOGOUS, plannedproduct__plan=plan
        ).distinct()


class DonorLotForm(forms.Form):
    product = forms.ModelChoiceField(
        CellProduct.objects.filter(source=Source.ALLOGENEIC, active=True)
    )
    donor_code = forms.CharField(max_length=40, label="Donor code")
    made_at = forms.DateTimeField(widget=WHEN, label="Tissue received at")


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(s.value, s.label) for s in LATER_STEPS])
    performed_at = forms.DateTimeField(widget=WHEN, label="Performed at")
    viable_content = forms.FloatField(
        required=False,
        label="Viable content (formulation)",
        help_text="What the bag or syringe holds in the product's dose unit: viable cells, "
        "particles (exosomes) or µg protein (secretome).",
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    volume_ml = forms.FloatField(
        required=False,
        label="Volume, mL (formulation)",
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


VERDICTS = [("", "— (numeric tests: leave empty)"), ("pass", "Pass"), ("fail", "Fail")]


class QCResultForm(forms.Form):
    test = forms.ChoiceField(choices=[])
    value = forms.FloatField(
        required=False,
        label="Measured value",
        help_text="For numeric tests; the verdict is computed from the specification.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    passed = forms.ChoiceField(choices=VERDICTS, required=False, label="Verdict (pass/fail tests)")
    tested_at = forms.DateTimeField(widget=WHEN, label="Tested at")

    def __init__(self, *args, specs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["test"].choices = [(s.test, str(s.get_test_display())) for s in specs]

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        passed = {"pass": True, "fail": False}.get(data["passed"])
        return {
            "test": data["test"],
            "value": data["value"],
            "passed": passed,
            "tested_at": data["tested_at"],
        }


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why is it rejected?")


class AllocateForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, label="Plan")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class DivideForm(forms.Form):
    """Split a formulated lot: one part a line, its viable content and its volume."""

    parts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "5e8, 10\n5e8, 10"}),
        label="Parts: one a line, viable content (product's unit), volume in mL",
        help_text="2 to 26 parts; together they hold at most what the lot holds.",
    )

    def clean_parts(self) -> list[dict]:
        parts = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            fields = line.replace(";", ",").split(",")
            try:
                content, volume = (float(field) for field in fields)
            except ValueError:
                raise forms.ValidationError(
                    f"Line {number}: write the viable content and the volume, e.g. 5e8, 10."
                ) from None
            parts.append({"viable_content": content, "volume_ml": volume})
        return parts
