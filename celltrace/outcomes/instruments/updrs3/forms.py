from django import forms

from celltrace.outcomes.instruments.base import Measure
from celltrace.outcomes.instruments.fields import value_field

UPDRS3 = Measure("updrs3", "MDS-UPDRS part III", "points", 0, 132, 1, True)
_SIDES = ("right upper", "left upper", "right lower", "left lower")
# The 33 scores of MDS-UPDRS part III (Goetz 2008), each 0-4: item number and what it rates.
ITEMS = (
    ("3.1", "Speech"),
    ("3.2", "Facial expression"),
    *((f"3.3{s}", f"Rigidity, {w}") for s, w in zip("abcde", ("neck", *_SIDES), strict=True)),
    ("3.4a", "Finger tapping, right"),
    ("3.4b", "Finger tapping, left"),
    ("3.5a", "Hand movements, right"),
    ("3.5b", "Hand movements, left"),
    ("3.6a", "Pronation-supination, right"),
    ("3.6b", "Pronation-supination, left"),
    ("3.7a", "Toe tapping, right"),
    ("3.7b", "Toe tapping, left"),
    ("3.8a", "Leg agility, right"),
    ("3.8b", "Leg agility, left"),
    ("3.9", "Arising from chair"),
    ("3.10", "Gait"),
    ("3.11", "Freezing of gait"),
    ("3.12", "Postural stability"),
    ("3.13", "Posture"),
    ("3.14", "Global spontaneity of movement"),
    ("3.15a", "Postural tremor, right hand"),
    ("3.15b", "Postural tremor, left hand"),
    ("3.16a", "Kinetic tremor, right hand"),
    ("3.16b", "Kinetic tremor, left hand"),
    *(
        (f"3.17{s}", f"Rest tremor amplitude, {w} extremity")
        for s, w in zip("abcd", _SIDES, strict=True)
    ),
    ("3.17e", "Rest tremor amplitude, lip/jaw"),
    ("3.18", "Constancy of rest tremor"),
)


def item_field(number: str) -> str:
    return "item_" + number.replace(".", "_")


class Updrs3Form(forms.Form):
    updrs3 = value_field(UPDRS3, label="Part III total (0-132)", whole=True, required=False)
    medication_state = forms.ChoiceField(
        label="Medication state",
        choices=[("on", "ON"), ("off", "OFF"), ("untreated", "Not on Parkinson's medication")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, label in ITEMS:
            self.fields[item_field(number)] = forms.IntegerField(
                label=f"{number} {label}",
                required=False,
                min_value=0,
                max_value=4,
                widget=forms.NumberInput(attrs={"min": 0, "max": 4, "step": 1, "size": 2}),
            )

    def clean(self):
        data = super().clean()
        missing = [item_field(n) for n, _ in ITEMS if data.get(item_field(n)) is None]
        if data.get("updrs3") is None and len(missing) == len(ITEMS):
            self.add_error("updrs3", "Enter the total, or all 33 item scores.")
        elif len(missing) not in (0, len(ITEMS)):
            for name in missing:
                self.add_error(
                    name, "Score every item, or leave them all empty and give the total."
                )
        return data

    def item_fields(self):
        return [self[item_field(n)] for n, _ in ITEMS]
