"""The exam screens' shared form pieces and the relapse and MRI forms."""

from django import forms


def field_name(path: str) -> str:
    """Return the form field of an exam path such as 'right.motor.C5' (right_motor_C5)."""
    return path.replace(".", "_")


def date_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class RelapseForm(forms.Form):
    onset = date_field("Onset")
    confirmed = forms.TypedChoiceField(
        label="Confirmed by a doctor",
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        help_text="No: reported by the patient, not examined by a doctor.",
    )
    note = forms.CharField(label="Note", max_length=200, required=False)


class MriScanForm(forms.Form):
    scanned_on = date_field("Scan date")
    new_t2_lesions = forms.IntegerField(
        label="New or enlarging T2 lesions", help_text="Against the previous scan."
    )
    gd_lesions = forms.IntegerField(
        label="Gadolinium-enhancing lesions",
        required=False,
        help_text="Leave empty when no contrast was given or the count is not known.",
    )
    note = forms.CharField(label="Note", max_length=200, required=False)
