"""Forms of the follow-up screens: they parse input; the actions decide."""

from django import forms

from celltrace.followup.models import Appointment, FollowUpEnd


class CompleteForm(forms.Form):
    notes = forms.CharField(label="Notes", required=False, max_length=2000)


class FollowUpEndForm(forms.Form):
    on = forms.DateField(
        label="Date of death or withdrawal",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(label="Reason", choices=FollowUpEnd.Reason.choices)
    detail = forms.CharField(label="Detail", required=False, max_length=300)


class BookingForm(forms.Form):
    day = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="Time (the site's time zone)",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.ChoiceField(label="Where", choices=Appointment.Place.choices)
    link = forms.CharField(label="Video call link", required=False, max_length=200)
    phone = forms.CharField(label="Phone number to call", required=False, max_length=40)
    outside_window_reason = forms.CharField(
        label="Reason for a day outside the window",
        required=False,
        max_length=300,
        help_text="Only when the day lies outside the check-up's window; it will be flagged.",
    )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (s.value, s.label)
            for s in (
                Appointment.Status.ATTENDED,
                Appointment.Status.NO_SHOW,
                Appointment.Status.CANCELLED,
            )
        ],
    )
    note = forms.CharField(label="Note", required=False, max_length=300)
