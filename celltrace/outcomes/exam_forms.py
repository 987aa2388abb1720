"""The exam screens' shared form pieces and the relapse form."""

from django import forms


def field_name(path: str) -> str:
    """Return the form field of an exam path such as 'right.motor.C5' (right_motor_C5)."""
    return path.replace(".", "_")


def date_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RelapseForm(forms.Form):
    onset = date_field("Onset")
    note = forms.CharField(label="Note", max_length=200, required=False)
