from django import forms
from django.utils.translation import gettext_lazy as _

from celltrace.portal.actions import BODY_MAX_LENGTH, NOTE_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReportForm(forms.Form):
    # The file is checked by content in the action (celltrace/uploads.py), not by the form.
    file = forms.FileField(
        label=_("The report"), help_text=_("A PDF, or a photo or scan as JPEG or PNG, up to 10 MB.")
    )
    note = forms.CharField(
        label=_("What is it?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example: blood test from my family doctor, March."),
    )
