"""Cryostore forms: containers and limits, scans, thaws, readings, alarms, consents."""

from django import forms

from celltrace.cryostore.models import Container

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCAN = forms.TextInput(attrs={"autocomplete": "off", "autofocus": True})
CELSIUS = forms.NumberInput(attrs={"step": "any"})


class ContainerForm(forms.Form):
    kind = forms.ChoiceField(choices=[c for c in Container.Kind.choices if c[0] != "position"])
    label = forms.CharField(max_length=60, help_text="e.g. Tank 1, Rack A, Box 3")
    code = forms.CharField(
        max_length=40, help_text="The storage-location code on the sticker; positions get "
        "the box's code and their place (BOX3-A01)",
    )  # fmt: skip
    parent = forms.ModelChoiceField(Container.objects.none(), required=False, label="Inside")
    rows = forms.IntegerField(required=False, min_value=1, help_text="Boxes only")
    columns = forms.IntegerField(required=False, min_value=1, help_text="Boxes only")
    min_c = forms.FloatField(required=False, widget=CELSIUS, label="Lowest accepted °C")
    max_c = forms.FloatField(required=False, widget=CELSIUS, label="Highest accepted °C")
    reading_interval_minutes = forms.IntegerField(
        required=False, min_value=1, label="Expected reading interval, minutes",
        help_text="Freezers and tanks; empty fields take the defaults (LN2 vapour -190 to "
        "-150 °C, freezer -90 to -65 °C, every 60 minutes)",
    )  # fmt: skip

    def __init__(self, *args, containers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = containers.exclude(
            kind__in=[Container.Kind.POSITION, Container.Kind.BOX]
        )


class LimitsForm(forms.Form):
    min_c = forms.FloatField(widget=CELSIUS, label="Lowest accepted °C")
    max_c = forms.FloatField(widget=CELSIUS, label="Highest accepted °C")
    reading_interval_minutes = forms.IntegerField(min_value=1, label="Expected interval, minutes")


class ReadingForm(forms.Form):
    celsius = forms.FloatField(widget=CELSIUS, label="Temperature, °C")
    read_at = forms.DateTimeField(widget=WHEN, label="Read at")


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What was found and done"
    )


MOVES = [("deposit", "Deposit"), ("retrieve", "Retrieve"), ("transfer", "Transfer")]


class ScanForm(forms.Form):
    move = forms.ChoiceField(choices=MOVES)
    lot = forms.CharField(max_length=200, widget=SCAN, label="Lot (scan its label)")
    position = forms.CharField(
        max_length=60, required=False, label="Position (scan its sticker)",
        help_text="For a deposit or a transfer: where the lot goes",
    )  # fmt: skip


class ThawForm(forms.Form):
    lot = forms.CharField(max_length=200, widget=SCAN, label="Lot (scan its label)")
    thawed_at = forms.DateTimeField(widget=WHEN, label="Thawed at")


class ConsentForm(forms.Form):
    given_on = forms.DateField(widget=DAY, label="Consent given on")
    storage_until = forms.DateField(widget=DAY, label="Agreed storage until")
