"""Screening forms: a fact per kind, a screening request, and a doctor's signature."""

from django import forms

from celltrace.clinical import eligibility
from celltrace.refusal import Refused, show_refusal
from celltrace.screening.models import PatientFact, Screening


class RefusalMixin:
    def apply_refusal(self, refusal: Refused) -> None:
        """Show the action's errors on the fields they name, the rest above the form."""
        show_refusal(self, refusal, field_for=lambda key: key.replace(".", "_"))


class FactForm(RefusalMixin, forms.Form):
    """The fields every fact has; each kind adds its own."""

    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    provenance = forms.CharField(
        label="Source", max_length=200, help_text="The document or the person it comes from"
    )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        return {key: data[key] for key in data if key not in {"on", "provenance"}}


class DiagnosisForm(FactForm):
    code = forms.CharField(label="ICD-10 code", max_length=10)
    label = forms.CharField(label="Diagnosis", max_length=200, required=False)
    resolved_on = forms.DateField(
        label="Resolved on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LabForm(FactForm):
    analyte = forms.ChoiceField(
        choices=[(key, a.label) for key, a in eligibility.units.ANALYTES.items()]
    )
    value = forms.FloatField()
    unit = forms.CharField(max_length=30, help_text="As printed on the report, e.g. g/dL")


class AnswerForm(FactForm):
    question = forms.ChoiceField(choices=list(eligibility.QUESTIONS.items()))
    yes = forms.TypedChoiceField(
        label="Answer",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class HistoryReviewForm(FactForm):
    pass


FACT_FORMS = {
    PatientFact.Kind.DIAGNOSIS: DiagnosisForm,
    PatientFact.Kind.LAB: LabForm,
    PatientFact.Kind.ANSWER: AnswerForm,
    PatientFact.Kind.HISTORY_REVIEW: HistoryReviewForm,
}


def fact_forms(data=None, *, kind=None) -> dict:
    """One form per fact kind; only the posted kind is bound."""
    return {k: cls(data if k == kind else None, prefix=k) for k, cls in FACT_FORMS.items()}


class ScreenForm(RefusalMixin, forms.Form):
    treatment_date = forms.DateField(
        label="Planned treatment date", widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(
        label="Product source", choices=Screening.Source.choices, widget=forms.RadioSelect
    )


class SignForm(RefusalMixin, forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput, help_text="Typed again to sign"
    )

    def __init__(self, *args, screening: Screening, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in screening.cautions:
            self.fields[f"justifications_{rule['rule_id']}"] = forms.CharField(
                label=f"Why treat despite: {rule['label']}",
                required=False,  # the action says which are missing, for the form and the API
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def justifications(self) -> dict[str, str]:
        prefix = "justifications_"
        return {
            key.removeprefix(prefix): value
            for key, value in self.cleaned_data.items()
            if key.startswith(prefix)
        }


class PriorTherapyForm(RefusalMixin, forms.Form):
    """One prior therapy, chosen from the coded list of the patient's condition."""

    therapy = forms.ChoiceField(label="Therapy")
    other_name = forms.CharField(
        label="Other therapy", max_length=120, required=False, help_text="When 'Other'."
    )
    started_year = forms.IntegerField(label="Started (year)", required=False)
    stopped_year = forms.IntegerField(
        label="Stopped (year)", required=False, help_text="Empty: still taken or not known."
    )

    def __init__(self, *args, condition_code: str, **kwargs):
        from celltrace.screening.prior_therapies import therapies_for

        super().__init__(*args, **kwargs)
        self.fields["therapy"].choices = [
            (
                t.code,
                f"{t.label} ({t.category})" if t.category not in ("none", "other") else t.label,
            )
            for t in therapies_for(condition_code)
        ]
