"""The screening form: one answer per active question, then the decision and its reasons."""

from django import forms

from celltrace.refusal import Refused
from celltrace.screening.actions import NOTE_MAX_LENGTH, answer_field, check_screening
from celltrace.screening.models import Screening, ScreeningAnswer


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=Screening.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,  # required by the action, whose message says what the reasons must cover
        widget=forms.Textarea,
        help_text="Required. If a caution is answered yes, say why the patient is still eligible.",
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"answer_{item.code}"] = forms.ChoiceField(
                label=item.label,
                choices=ScreeningAnswer.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer “{item.label}”."},
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=f"Note on {item.label}", required=False, max_length=NOTE_MAX_LENGTH
            )

    @property
    def rows(self):
        """Each question with its answer and note fields, in checklist order."""
        return [
            (item, self[f"answer_{item.code}"], self[f"note_{item.code}"]) for item in self.items
        ]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.code: (data[f"answer_{item.code}"], data.get(f"note_{item.code}", ""))
            for item in self.items
            if data.get(f"answer_{item.code}")
        }

    def clean(self):
        data = super().clean()
        errors, _review = check_screening(
            self.items, self.answers(), data.get("decision", ""), data.get("reasons", "").strip()
        )
        self.show_errors(errors)
        return data

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show the action's errors on the fields they name."""
        fields = {answer_field(item.code): f"answer_{item.code}" for item in self.items}
        for key, message in errors.items():
            field = fields.get(key, key)
            if field not in self.fields:
                self.add_error(None, message)
            elif field not in self.errors:
                self.add_error(field, message)

    def apply_refusal(self, refusal: Refused) -> None:
        self.show_errors(refusal.field_errors)
