"""Forms of the intake stage: they parse input; the rules they show are the actions' rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from celltrace.accounts import site_time
from celltrace.catalog.models import CellProduct, Condition, Therapy
from celltrace.clinical import consultations
from celltrace.intake.actions import CONSENT_NEEDED, EstimateItem, request_field_errors
from celltrace.intake.models import Consultation, ConsultationRequest
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


class RescheduleForm(forms.Form):
    """A call's time, read on the site's clock: moving a booked call, or booking one."""

    starts_at = forms.DateTimeField(
        label="Starts (site time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(
        label="Minutes", initial=30, min_value=consultations.MIN_MINUTES,
        max_value=consultations.MAX_MINUTES,
    )  # fmt: skip

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def clean_starts_at(self):
        """Take the wall-clock time typed as the site's, whatever the server's zone."""
        typed = timezone.localtime(self.cleaned_data["starts_at"])
        return site_time.at(typed.date(), typed.time(), self.site)


class BookingForm(RescheduleForm):
    """The advisor's booking of a call; the time is read on the site's clock."""

    mode = forms.ChoiceField(
        label="How", choices=Consultation.Mode.choices, initial=Consultation.Mode.VIDEO
    )
    phone = forms.CharField(
        label="Number to call", required=False, max_length=40,
        help_text="For a phone call; empty: the number the request gave.",
    )  # fmt: skip
    time_zone = forms.CharField(
        label="The person's time zone", required=False, max_length=64,
        help_text="e.g. Europe/Berlin; empty: the site's. The e-mail gives the time in it.",
    )  # fmt: skip


class RecordConsultationForm(forms.Form):
    """The three answers, and the catalog items the estimate is made of."""

    PRODUCT_ROWS, THERAPY_ROWS = 3, 5

    could_help = forms.ChoiceField(
        label="Could the treatment help?",
        choices=Consultation.CouldHelp.choices,
        widget=forms.RadioSelect,
    )
    could_help_reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}))
    involves = forms.CharField(
        label="What the treatment involves",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In plain words: the stay, the products, the therapies, home care.",
    )
    stay_days_min = forms.IntegerField(
        label="Stay from (days)", initial=consultations.STAY_DAYS[0], min_value=1
    )
    stay_days_max = forms.IntegerField(
        label="to (days)", initial=consultations.STAY_DAYS[1], min_value=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        products = CellProduct.objects.filter(active=True)
        therapies = Therapy.objects.filter(active=True)
        for n in range(1, self.PRODUCT_ROWS + 1):
            self.fields[f"product_{n}"] = forms.ModelChoiceField(
                products, required=False, label=f"Cell product {n}"
            )
            self.fields[f"product_{n}_count"] = forms.IntegerField(
                required=False, min_value=1, label="administrations"
            )
        for n in range(1, self.THERAPY_ROWS + 1):
            self.fields[f"therapy_{n}"] = forms.ModelChoiceField(
                therapies, required=False, label=f"Therapy {n}"
            )
            self.fields[f"therapy_{n}_count"] = forms.IntegerField(
                required=False, min_value=1, label="sessions"
            )

    def item_rows(self):
        """The item fields in pairs, for the page: (item, count)."""
        rows = [("product", self.PRODUCT_ROWS), ("therapy", self.THERAPY_ROWS)]
        return [
            (self[f"{k}_{n}"], self[f"{k}_{n}_count"])
            for k, rows_ in rows
            for n in range(1, rows_ + 1)
        ]

    def answers(self) -> dict:
        """The action's arguments: a chosen item without a count counts once."""
        data = self.cleaned_data
        items = []
        for kind, rows in (("product", self.PRODUCT_ROWS), ("therapy", self.THERAPY_ROWS)):
            for n in range(1, rows + 1):
                if item := data.get(f"{kind}_{n}"):
                    items.append(EstimateItem(item, data.get(f"{kind}_{n}_count") or 1))
        return {
            "could_help": data["could_help"],
            "could_help_reason": data["could_help_reason"],
            "involves": data["involves"],
            "items": items,
            "stay_days": (data["stay_days_min"], data["stay_days_max"]),
        }
