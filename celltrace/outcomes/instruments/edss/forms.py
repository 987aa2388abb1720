"""The Neurostatus-EDSS scoring sheet as forms: they parse, the engine judges."""

from django import forms

from celltrace.clinical.edss import AMBULATION_FLOOR
from celltrace.outcomes.exam_forms import date_field
from celltrace.outcomes.models import Timepoint

AMBULATION_LABELS = (
    "Unrestricted",
    "Fully ambulatory (>= 500 m without help or rest), not unrestricted",
    "Walks >= 300 m but < 500 m without help or rest",
    "Walks >= 200 m but < 300 m without help or rest",
    "Walks >= 100 m but < 200 m without help or rest",
    "Walks < 100 m without help or rest",
    "Unilateral assistance, >= 50 m",
    "Bilateral assistance, >= 120 m",
    "Unilateral assistance, < 50 m",
    "Bilateral assistance, >= 5 m but < 120 m",
    "Wheelchair without help (cannot walk 5 m even with aid; transfers alone)",
    "Wheelchair with help (needs aid to transfer)",
    "Restricted to bed or chair, or pushed in a wheelchair; effective use of arms",
    "Restricted to bed much of the day; some effective use of arms",
    "Confined to bed; can communicate and eat",
    "Totally helpless bed patient; cannot communicate effectively or eat",
    "Death due to MS",
)
FUNCTIONAL_SYSTEMS = (
    ("visual", "Visual (raw Neurostatus grade, converted for the EDSS)", 6),
    ("brainstem", "Brainstem", 5),
    ("pyramidal", "Pyramidal", 6),
    ("cerebellar", "Cerebellar", 5),
    ("sensory", "Sensory", 6),
    ("bowel_bladder", "Bowel and bladder (raw Neurostatus grade, converted)", 6),
    ("cerebral", "Cerebral (mental)", 5),
)


class EdssSheetForm(forms.Form):
    """The scoring sheet alone: the instrument's form, as the action and the API read it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, highest in FUNCTIONAL_SYSTEMS:
            # The range is checked by the engine, so a grade out of range is named by it.
            self.fields[name] = forms.IntegerField(
                label=f"{label}: 0-{highest}",
                initial=0,
                required=False,  # the engine names a missing grade
                widget=forms.NumberInput(attrs={"min": 0, "max": highest, "step": 1}),
            )
        self.fields["ambulation"] = forms.IntegerField(
            label="Ambulation (Neurostatus score 0-16)", initial=0, required=False
        )

    def grades(self) -> dict[str, int]:
        """Return the scoring sheet as {system: grade} for the engine."""
        names = [name for name, _, _ in FUNCTIONAL_SYSTEMS] + ["ambulation"]
        return {name: self.cleaned_data[name] for name in names}


class EdssForm(EdssSheetForm):
    """The EDSS screen: the sheet with the date, the timepoint and the ambulation scale."""

    measured_on = date_field("Examined on")
    timepoint = forms.ChoiceField(label="Timepoint", choices=Timepoint.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambulation"] = forms.TypedChoiceField(
            label="Ambulation (Neurostatus score 0-16)",
            coerce=int,
            initial=0,
            choices=[
                (score, f"{score}: {label} (EDSS at least {floor:.1f})" if score else f"0: {label}")
                for score, (label, floor) in enumerate(
                    zip(AMBULATION_LABELS, AMBULATION_FLOOR, strict=True)
                )
            ],
        )
