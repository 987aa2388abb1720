"""Forms of the intake stage: they parse input; the rules they show are the actions' rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from celltrace.catalog.models import Condition
from celltrace.intake.actions import CONSENT_NEEDED, request_field_errors
from celltrace.intake.models import ConsultationRequest
from celltrace.intake.queries import Claimed
from celltrace.patients.models import Sex
from celltrace.refusal import Refused
from celltrace.uploads import check_upload, check_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PublicRequestForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=160)
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        help_text=_("With the country code, e.g. +44 20 7946 0000"),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    country = forms.CharField(label=_("Country"), max_length=60)
    language = forms.CharField(
        label=_("Language"),
        max_length=40,
        help_text=_("The language you would like us to use in the consultation"),
    )
    condition = forms.ModelChoiceField(
        label=_("Condition"),
        queryset=Condition.objects.filter(accepts_requests=True),
        to_field_name="code",
        empty_label=_("Choose the condition…"),
    )
    description = forms.CharField(
        label=_("Your situation"),
        widget=forms.Textarea,
        help_text=_("Diagnosis, when it started, treatments so far, what is hardest now."),
    )
    attachments = MultipleFileField(
        label=_("Medical reports (optional)"),
        help_text=_("PDF, JPEG or PNG files."),
    )
    consent_health_data = forms.BooleanField(
        label=_("I consent to the clinic processing my health data to answer this request."),
        error_messages={"required": CONSENT_NEEDED},
    )

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        try:
            check_uploads(files)
        except Refused as refusal:
            message = refusal.field_errors.get("attachments", refusal.message)
            raise forms.ValidationError(message) from None
        return files

    def clean(self):
        data = super().clean()
        for field, message in request_field_errors(data).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def request_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "attachments"}


class NoteForm(forms.Form):
    text = forms.CharField(label="Contact note", widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Report (PDF, JPEG or PNG)")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded)
        except Refused as refusal:
            message = refusal.field_errors.get("attachments", refusal.message)
            raise forms.ValidationError(message) from None
        return uploaded


class ConvertForm(forms.Form):
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label="Sex", choices=[("", "Choose…"), *Sex.choices])
    weight_kg = forms.FloatField(label="Weight (kg, if known)", required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why the person is not a candidate", widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(forms.Form):
    """The advisor queue's filters; each one left empty does not narrow the list."""

    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *ConsultationRequest.Status.choices]
    )
    condition = forms.ChoiceField(required=False)
    claimed = forms.ChoiceField(
        label="Advisor", required=False, choices=[("", "Anyone"), *Claimed.choices]
    )
    search = forms.CharField(label="Name, e-mail or reference", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: a callable would query again for the validation and for the page.
        conditions = Condition.objects.values_list("code", "name")
        self.fields["condition"].choices = [("", "Any condition"), *conditions]
