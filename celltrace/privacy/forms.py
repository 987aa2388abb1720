from django import forms


class ErasureForm(forms.Form):
    """The manager's decision: why, the patient's code typed as confirmation, the password."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. the person's request of 2026-11-20 under GDPR art. 17, ticket 123.",
    )
    confirm_code = forms.CharField(label="Type the patient's code to confirm", max_length=20)
    password = forms.CharField(widget=forms.PasswordInput, help_text="You sign the erasure.")

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_code(self):
        code = self.cleaned_data["confirm_code"].strip()
        if code != self.patient.code:
            raise forms.ValidationError(f"Type {self.patient.code} to confirm.")
        return code
