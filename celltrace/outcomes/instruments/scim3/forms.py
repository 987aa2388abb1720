"""The SCIM III sheet: one field per item, each offering only the scores the form allows.

The scoring criteria are shortened from the published form (Itzkovich 2007, appendix; freely
available); the rater scores by observation or interview as the form instructs.
"""

from django import forms

from celltrace.outcomes.instruments.fields import answer_field

ASSISTANCE = [
    (0, "Requires total assistance"),
    (1, "Requires partial assistance"),
    (2, "Independent with adaptive devices or in a specific setting"),
    (3, "Independent without adaptive devices or a specific setting"),
]
DRESSING = [
    (0, "Requires total assistance"),
    (1, "Partial assistance, even with clothes without buttons, zips or laces"),
    (2, "Independent with such clothes, needing devices or a specific setting"),
    (3, "Independent with such clothes without devices; help only for buttons, zips or laces"),
    (4, "Dresses in any clothes independently, without devices"),
]
WALKING = [
    (0, "Requires total assistance"),
    (1, "Electric wheelchair, or partial assistance with a manual wheelchair"),
    (2, "Moves independently in a manual wheelchair"),
    (3, "Walks with supervision (with or without devices)"),
    (4, "Walks with a walking frame or crutches, swinging"),
    (5, "Walks with crutches or two canes, reciprocal walking"),
    (6, "Walks with one cane"),
    (7, "Needs a leg orthosis only"),
    (8, "Walks without walking aids"),
]
TRANSFER = [
    (0, "Requires total assistance"),
    (1, "Partial assistance, supervision or adaptive devices (e.g. a sliding board)"),
    (2, "Independent (or does not require a wheelchair)"),
]

ITEMS = {
    "feeding": (
        "1. Feeding",
        [
            (0, "Parenteral, gastrostomy or fully assisted oral feeding"),
            (1, "Partial assistance to eat or drink, or to put on adaptive devices"),
            (2, "Eats independently; devices or help only to cut, pour or open"),
            (3, "Eats and drinks independently, without assistance or devices"),
        ],
    ),
    "bathing_upper_body": ("2A. Bathing: upper body", ASSISTANCE),
    "bathing_lower_body": ("2B. Bathing: lower body", ASSISTANCE),
    "dressing_upper_body": ("3A. Dressing: upper body", DRESSING),
    "dressing_lower_body": ("3B. Dressing: lower body", DRESSING),
    "grooming": ("4. Grooming", ASSISTANCE),
    "respiration": (
        "5. Respiration",
        [
            (0, "Tracheal tube and permanent or intermittent assisted ventilation"),
            (2, "Tracheal tube; oxygen, much assistance with coughing or tube care"),
            (4, "Tracheal tube; little assistance with coughing or tube care"),
            (6, "No tube; oxygen, much assistance with coughing, a mask or assisted ventilation"),
            (8, "No tube; little assistance or stimulation for coughing"),
            (10, "Breathes independently without assistance or device"),
        ],
    ),
    "bladder_management": (
        "6. Sphincter management: bladder",
        [
            (0, "Indwelling catheter"),
            (3, "Residual urine over 100 mL; no regular or assisted intermittent catheterisation"),
            (6, "Residual urine under 100 mL or self-catheterisation; help to apply drainage"),
            (9, "Intermittent self-catheterisation; external drainage without help"),
            (11, "Intermittent self-catheterisation; continent between; no external drainage"),
            (13, "Residual urine under 100 mL; only external drainage, without help"),
            (15, "Residual urine under 100 mL; continent; no external drainage"),
        ],
    ),
    "bowel_management": (
        "7. Sphincter management: bowel",
        [
            (0, "Irregular timing or very low frequency (less than once in 3 days)"),
            (5, "Regular timing with assistance (e.g. suppository); rare accidents"),
            (8, "Regular bowel movements without assistance; rare accidents"),
            (10, "Regular bowel movements without assistance; no accidents"),
        ],
    ),
    "use_of_toilet": (
        "8. Use of toilet",
        [
            (0, "Requires total assistance"),
            (1, "Partial assistance; does not clean self"),
            (2, "Partial assistance; cleans self independently"),
            (4, "Independent in all tasks with adaptive devices or a special setting"),
            (5, "Independent without adaptive devices or a special setting"),
        ],
    ),
    "bed_mobility": (
        "9. Mobility in bed and action to prevent pressure sores",
        [
            (0, "Needs assistance in all: turning upper and lower body, sitting up, push-ups"),
            (2, "Performs one of these activities without assistance"),
            (4, "Performs two or three of these activities without assistance"),
            (6, "Performs all bed mobility and pressure release activities independently"),
        ],
    ),
    "transfer_bed_wheelchair": ("10. Transfers: bed to wheelchair", TRANSFER),
    "transfer_wheelchair_toilet_tub": ("11. Transfers: wheelchair to toilet or tub", TRANSFER),
    "mobility_indoors": ("12. Mobility indoors", WALKING),
    "mobility_moderate_distances": ("13. Mobility for moderate distances (10-100 m)", WALKING),
    "mobility_outdoors": ("14. Mobility outdoors (more than 100 m)", WALKING),
    "stair_management": (
        "15. Stair management",
        [
            (0, "Unable to go up or down stairs"),
            (1, "At least 3 steps with support or supervision of another person"),
            (2, "At least 3 steps with a handrail and/or a crutch or cane"),
            (3, "At least 3 steps without any support or supervision"),
        ],
    ),
    "transfer_wheelchair_car": ("16. Transfers: wheelchair to car", TRANSFER),
    "transfer_ground_wheelchair": (
        "17. Transfers: ground to wheelchair",
        [
            (0, "Requires assistance"),
            (1, "Independent, with or without devices (or does not require a wheelchair)"),
        ],
    ),
}


class Scim3Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, choices) in ITEMS.items():
            self.fields[name] = answer_field(label, choices)
