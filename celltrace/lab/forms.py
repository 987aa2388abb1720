"""Lab forms: lots, steps, QC results, investigations, release with a signature, labels."""

from django import forms

from celltrace.catalog.models import CellProduct, DonorTest, Source
from celltrace.clinical import process
from celltrace.lab.actions import MAX_LABEL_COPIES
from celltrace.lab.models import Donor, Investigation, LabelPrint

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
    donor = forms.ModelChoiceField(
        queryset=None,
        label="Donor",
        help_text="A registered donor of your site; the lot is in quarantine until the donor "
        "is determined eligible.",
    )
    made_at = forms.DateTimeField(widget=WHEN, label="Tissue received at")

    def __init__(self, *args, donors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors


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


class ReleaseForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Typed again to sign the release",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why is it rejected?")


class AllocateForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, label="Plan")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DonorForm(forms.Form):
    code = forms.CharField(max_length=40, label="Donor code", help_text="No name: the code only")
    recovered_on = forms.DateField(widget=DAY, label="Collected or recovered on")
    sex = forms.ChoiceField(choices=Donor.Sex.choices, initial=Donor.Sex.UNKNOWN)
    age_years = forms.IntegerField(required=False, min_value=0, max_value=120, label="Age, years")


RESULTS = [("non_reactive", "Non-reactive"), ("reactive", "Reactive")]


class DonorTestForm(forms.Form):
    test = forms.ModelChoiceField(
        DonorTest.objects.filter(active=True), to_field_name="code", label="Test"
    )
    result = forms.ChoiceField(choices=RESULTS)
    specimen_date = forms.DateField(widget=DAY, label="Specimen taken on")
    laboratory = forms.CharField(max_length=120, label="Testing laboratory")

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "test": data["test"].code,
            "reactive": data["result"] == "reactive",
            "specimen_date": data["specimen_date"],
            "laboratory": data["laboratory"],
        }


class DeterminationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("eligible", "Eligible"), ("ineligible", "Ineligible")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for ineligible: the reactive test, or the history or risk factor.",
    )


class InvestigationForm(forms.Form):
    result_ids = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], widget=forms.CheckboxSelectMultiple, label="Failed results"
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What failed, what will be checked"
    )

    def __init__(self, *args, failures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_ids"].choices = [
            (r.pk, f"{r.specification.get_test_display()}, {r.tested_at:%Y-%m-%d %H:%M}")
            for r in failures
        ]


class CloseInvestigationForm(forms.Form):
    conclusion = forms.ChoiceField(choices=Investigation.Conclusion.choices)
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Findings")


class AcceptanceForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="The risk you accept for this patient"
    )
    password = forms.CharField(widget=forms.PasswordInput, label="Your password")


class ExceptionalReleaseForm(forms.Form):
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Justification after reviewing every record"
    )
    password = forms.CharField(widget=forms.PasswordInput, label="Your password")


class AcknowledgeAlertForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What you did for the patient"
    )


class LabelForm(forms.Form):
    kind = forms.ChoiceField(choices=LabelPrint.Kind.choices, label="Label")
    copies = forms.IntegerField(min_value=1, max_value=MAX_LABEL_COPIES, initial=1)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for a reprint",
        help_text="Required when this label was printed before; only a quality reviewer "
        "may reprint.",
    )


class BulkLabelForm(LabelForm):
    lots = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Lots to label"
    )

    field_order = ["lots", "kind", "copies", "reason"]

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lots"].queryset = lots


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
