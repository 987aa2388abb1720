"""The plan form: stay and weight, a few product rows and therapy rows."""

from django import forms

from celltrace.catalog.models import CellProduct, Route, Therapy
from celltrace.clinical.dosing import DEFAULT_DOSE_TIME
from celltrace.plans.models import QuoteAcceptance

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    weight_kg = forms.FloatField(label="Weight (kg)", help_text="20 to 250 kg")
    admission_date = forms.DateField(widget=DATE)
    discharge_date = forms.DateField(
        widget=DATE, help_text="A stay lasts 5 to 9 days, admission and discharge days included."
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)


class PlannedProductForm(forms.Form):
    product = forms.ModelChoiceField(CellProduct.objects.filter(active=True))
    route = forms.ChoiceField(choices=[("", "---------"), *Route.choices])
    dose_per_kg = forms.FloatField(
        label="Dose per kg (in the product's unit)", widget=forms.NumberInput(attrs={"step": "any"})
    )
    day_of_stay = forms.IntegerField(label="Day of stay")
    planned_time = forms.TimeField(
        label="Time",
        initial=DEFAULT_DOSE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def has_changed(self) -> bool:
        """A row with nothing but a time (prefilled on every row) is a row left empty."""
        return any(name != "planned_time" for name in self.changed_data)


class PlannedTherapyForm(forms.Form):
    therapy = forms.ModelChoiceField(Therapy.objects.filter(active=True))
    sessions = forms.IntegerField()


ProductFormSet = forms.formset_factory(PlannedProductForm, extra=3)
TherapyFormSet = forms.formset_factory(PlannedTherapyForm, extra=4)


class ApproveForm(forms.Form):
    """The doctor's password, typed again to sign the plan (its approval)."""

    password = forms.CharField(label="Your password (signs the plan)", widget=forms.PasswordInput)


class AmendForm(forms.Form):
    """Why the plan changes, and the doctor's password to sign the new version."""

    reason = forms.CharField(
        label="Reason for the amendment", widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label="Your password (signs the new version)", widget=forms.PasswordInput
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the cancellation", widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptQuoteForm(forms.Form):
    accepted_by_name = forms.CharField(label="Accepted by (name)", max_length=200)
    accepted_at = forms.DateTimeField(
        label="Accepted at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(choices=QuoteAcceptance.Channel.choices)
