from django import forms
from django.utils.translation import gettext_lazy as _


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was this dose not taken?"), max_length=500, widget=forms.TextInput
    )
