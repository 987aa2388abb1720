"""Lab forms: start a lot, add a step or a QC result, reject, allocate."""

from django import forms

from celltrace.catalog.models import CellProduct, Source
from celltrace.clinical import process

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
    """Offers only the steps the product's process allows next (lab.process.next_steps)."""

    step = forms.ChoiceField(choices=[])
    performed_at = forms.DateTimeField(widget=WHEN, label="Performed at")
    passage = forms.IntegerField(
        required=False,
        min_value=1,
        label="Passage (cultivation)",
        help_text="Filled in for you from the passages recorded so far.",
    )
    equipment = forms.CharField(
        required=False, max_length=60, label="Equipment ID", help_text="Centrifuge, incubator…"
    )
    reagents = forms.CharField(
        required=False,
        label="Reagent lots",
        help_text="One a line: name; lot number; expiry (YYYY-MM-DD). An expired lot is refused.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
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

    def __init__(self, *args, allowed: list[process.NextStep], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = {n.step: n for n in allowed}
        self.fields["step"].choices = [(n.step, n.title) for n in allowed]
        cultivation = self.allowed.get(process.CULTIVATION)
        if cultivation is not None:
            self.fields["passage"].initial = cultivation.passage

    def clean_reagents(self) -> list[process.ReagentLot]:
        try:
            return process.parse_reagents(self.cleaned_data["reagents"] or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        step = self.allowed.get(data.get("step"))
        # Cultivation's passage follows the passages recorded; an empty field takes that one.
        if step is not None and step.passage is not None and data.get("passage") is None:
            data["passage"] = step.passage
        if step is not None and step.passage is None:
            data["passage"] = None
        return data


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
