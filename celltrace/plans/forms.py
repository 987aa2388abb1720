"""The plan form: stay and weight, a few product rows and therapy rows."""

from django import forms

from celltrace.catalog.models import CellProduct, Route, Therapy
from celltrace.clinical.dosing import DEFAULT_DOSE_TIME
from celltrace.clinical.home_care import HOME_ROUTES
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


class PlannedHomeCareForm(forms.Form):
    """One item of home care: a catalog product at a dose, or medication guidance in words."""

    product = forms.ModelChoiceField(
        CellProduct.objects.filter(active=True), required=False, help_text="Empty: guidance"
    )
    medication = forms.CharField(label="Or medication (in words)", max_length=160, required=False)
    route = forms.ChoiceField(
        choices=[("", "---------"), *[(r, Route(r).label) for r in HOME_ROUTES]]
    )
    dose_per_kg = forms.FloatField(
        label="Dose per kg (product's unit)",
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    every_days = forms.IntegerField(label="Every (days)")
    weeks = forms.IntegerField(label="For (weeks)", help_text="At most 5 without a reason")
    longer_reason = forms.CharField(label="Reason for more than 5 weeks", required=False)
    instructions = forms.CharField(
        label="Instructions for the patient", widget=forms.Textarea(attrs={"rows": 2})
    )


ProductFormSet = forms.formset_factory(PlannedProductForm, extra=3)
TherapyFormSet = forms.formset_factory(PlannedTherapyForm, extra=4)
HomeCareFormSet = forms.formset_factory(PlannedHomeCareForm, extra=2)


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
