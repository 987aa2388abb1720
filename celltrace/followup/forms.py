"""Forms of the follow-up screens: they parse input; the actions decide."""

from django import forms


class CompleteForm(forms.Form):
    notes = forms.CharField(label="Notes", required=False, max_length=2000)
