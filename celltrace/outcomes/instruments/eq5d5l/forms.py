"""The EQ-5D-5L: a level for each of the five dimensions and the EQ VAS.

The instrument is copyrighted by the EuroQol Research Foundation and licensed: the levels are
given in short words; the patient answers on the licensed sheet and staff transcribe it here.
"""

from django import forms

from celltrace.outcomes.instruments.fields import answer_field

DIMENSIONS = {
    "mobility": ("Mobility", "walking about", "Unable to walk about"),
    "self_care": ("Self-care", "washing or dressing", "Unable to wash or dress"),
    "usual_activities": ("Usual activities", "usual activities", "Unable to do usual activities"),
    "pain_discomfort": ("Pain / discomfort", "pain or discomfort", "Extreme pain or discomfort"),
    "anxiety_depression": (
        "Anxiety / depression",
        "anxiety or depression",
        "Extreme anxiety or depression",
    ),
}


def levels(topic: str, worst: str) -> list[tuple[int, str]]:
    """Return the five levels of one dimension, from no problems to the worst."""
    return [
        (1, f"No problems ({topic})"),
        (2, f"Slight problems ({topic})"),
        (3, f"Moderate problems ({topic})"),
        (4, f"Severe problems ({topic})"),
        (5, worst),
    ]


class Eq5d5lForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, topic, worst) in DIMENSIONS.items():
            self.fields[name] = answer_field(label, levels(topic, worst))
        self.fields["vas"] = forms.IntegerField(
            label="EQ VAS: health today (0 worst imaginable, 100 best imaginable)",
            required=False,
            widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        )
