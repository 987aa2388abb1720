"""Forms of the follow-up screens: they parse input; the actions decide."""

from django import forms

from celltrace.followup.models import FollowUpEnd


class CompleteForm(forms.Form):
    notes = forms.CharField(label="Notes", required=False, max_length=2000)


class FollowUpEndForm(forms.Form):
    on = forms.DateField(
        label="Date of death or withdrawal",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(label="Reason", choices=FollowUpEnd.Reason.choices)
    detail = forms.CharField(label="Detail", required=False, max_length=300)
