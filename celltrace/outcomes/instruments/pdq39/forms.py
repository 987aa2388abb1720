"""The PDQ-39 sheet: one field per item, labelled with the item's short topic.

The instrument is copyrighted and licensed: the labels name each item's topic only; the patient
answers on the licensed sheet and staff transcribe it here.
"""

from django import forms

from celltrace.clinical.item_scores import item_name
from celltrace.clinical.pdq39 import SPOUSE_ITEM
from celltrace.outcomes.instruments.fields import answer_field

ANSWERS = [
    (0, "Never"),
    (1, "Occasionally"),
    (2, "Sometimes"),
    (3, "Often"),
    (4, "Always, or cannot do at all"),
]

# How often, in the last month, because of Parkinson's disease: the items' topics in order.
TOPICS = (
    "Difficulty with leisure activities",
    "Difficulty looking after the home",
    "Difficulty carrying shopping bags",
    "Problems walking half a mile (800 m)",
    "Problems walking 100 yards (90 m)",
    "Problems getting around the house",
    "Difficulty getting around in public",
    "Needing company when going out",
    "Fear of falling in public",
    "Confined to the house",
    "Difficulty washing",
    "Difficulty dressing",
    "Problems with buttons or laces",
    "Problems writing clearly",
    "Difficulty cutting up food",
    "Difficulty holding a drink without spilling",
    "Felt depressed",
    "Felt isolated and lonely",
    "Felt weepy or tearful",
    "Felt angry or bitter",
    "Felt anxious",
    "Worried about the future",
    "Felt the need to conceal the disease",
    "Avoided eating or drinking in public",
    "Felt embarrassed in public",
    "Worried by other people's reactions",
    "Problems with close relationships",
    "Lacked support from a spouse or partner",
    "Lacked support from family or close friends",
    "Fell asleep unexpectedly during the day",
    "Problems with concentration",
    "Poor memory",
    "Distressing dreams or hallucinations",
    "Difficulty with speech",
    "Unable to communicate properly",
    "Felt ignored by people",
    "Painful muscle cramps or spasms",
    "Aches and pains in joints or body",
    "Felt unpleasantly hot or cold",
)


class Pdq39Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, topic in enumerate(TOPICS, start=1):
            self.fields[item_name(number)] = answer_field(f"{number}. {topic}", ANSWERS)
            if number == SPOUSE_ITEM:
                self.fields["no_spouse_or_partner"] = forms.BooleanField(
                    label="No spouse or partner (leave item 28 blank)", required=False
                )
