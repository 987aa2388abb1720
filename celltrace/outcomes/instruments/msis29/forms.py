"""The MSIS-29 version 1 sheet: one field per item, labelled with the item's short topic.

The instrument is copyrighted and licensed: the labels name each item's topic only; the patient
answers on the licensed sheet (or its licensed electronic form) and staff transcribe it here.
"""

from django import forms

from celltrace.clinical.item_scores import item_name
from celltrace.outcomes.instruments.fields import answer_field

ANSWERS = [
    (1, "Not at all"),
    (2, "A little"),
    (3, "Moderately"),
    (4, "Quite a bit"),
    (5, "Extremely"),
]

# How much MS affected these in the past two weeks (items 1-20 physical, 21-29 psychological).
TOPICS = (
    "Physically demanding tasks",
    "Gripping things tightly",
    "Carrying things",
    "Balance",
    "Moving about indoors",
    "Clumsiness",
    "Stiffness",
    "Heavy arms or legs",
    "Tremor of the arms or legs",
    "Spasms in the limbs",
    "The body not doing what one wants",
    "Depending on others",
    "Social and leisure activities at home",
    "Being stuck at home",
    "Using the hands in everyday tasks",
    "Cutting down time at work or in daily activities",
    "Using transport",
    "Taking longer to do things",
    "Doing things spontaneously",
    "Needing the toilet urgently",
    "Feeling unwell",
    "Sleeping",
    "Mental fatigue",
    "Worries about MS",
    "Feeling anxious or tense",
    "Feeling irritable or impatient",
    "Concentrating",
    "Confidence",
    "Feeling depressed",
)


class Msis29Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, topic in enumerate(TOPICS, start=1):
            self.fields[item_name(number)] = answer_field(f"{number}. {topic}", ANSWERS)
