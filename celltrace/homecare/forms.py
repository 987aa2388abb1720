from django import forms
from django.utils.translation import gettext_lazy as _


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was this dose not taken?"), max_length=500, widget=forms.TextInput
    )


class PhonedDoseForm(forms.Form):
    """What the patient said on the phone about one dose, entered by staff."""

    taken = forms.TypedChoiceField(
        choices=[("yes", "Taken"), ("no", "Not taken")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="The patient says the dose was",
    )
    reason = forms.CharField(
        label="Why not taken (the patient's words)", max_length=500, required=False
    )
