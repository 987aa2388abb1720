"""The plan form: stay and weight, a few product rows and therapy rows."""

from django import forms

from celltrace.catalog.models import CellProduct, Route, Therapy

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
    dose_cells_per_kg = forms.FloatField(
        label="Dose per kg (in the product's unit)", widget=forms.NumberInput(attrs={"step": "any"})
    )
    day_of_stay = forms.IntegerField(label="Day of stay")


class PlannedTherapyForm(forms.Form):
    therapy = forms.ModelChoiceField(Therapy.objects.filter(active=True))
    sessions = forms.IntegerField()


ProductFormSet = forms.formset_factory(PlannedProductForm, extra=3)
TherapyFormSet = forms.formset_factory(PlannedTherapyForm, extra=4)
