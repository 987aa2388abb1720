"""The SCIM-SR sheet in the patient's words: one question per task, the answers as grades.

The wording is celltrace's plain rendering of the SCIM III grades in the first person, not the
validated SCIM-SR text (Fekete 2013), which the clinic should obtain and put here before
relying on the answers (docs/clinical/scim-sr.md). Each answer carries its item's SCIM score.
Every string is marked for translation: the patient answers in their own language.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

ASSISTANCE = [
    (0, _("I need someone to do it for me")),
    (1, _("I need some help from someone")),
    (2, _("I do it alone, with aids or a special set-up")),
    (3, _("I do it alone, without aids")),
]
DRESSING = [
    (0, _("I need someone to do it for me")),
    (1, _("I need some help, even with simple clothes (no buttons, zips or laces)")),
    (2, _("I dress alone in simple clothes, with aids or a special set-up")),
    (
        3,
        _(
            "I dress alone in simple clothes without aids; "
            "I need help only with buttons, zips or laces"
        ),
    ),
    (4, _("I dress alone in any clothes, without aids")),
]
MOVING = [
    (0, _("I need someone to move me")),
    (1, _("I use an electric wheelchair, or need some help with a manual wheelchair")),
    (2, _("I move alone in a manual wheelchair")),
    (3, _("I walk, but someone has to watch over me")),
    (4, _("I walk with a walking frame or crutches, swinging both legs together")),
    (5, _("I walk with two crutches or two canes, one step after the other")),
    (6, _("I walk with one cane")),
    (7, _("I walk with a leg brace only")),
    (8, _("I walk without any aid")),
]
TRANSFER = [
    (0, _("I need someone to do it for me")),
    (1, _("I need some help, someone watching over me, or an aid such as a sliding board")),
    (2, _("I do it alone, or I do not use a wheelchair")),
]

ITEMS = {
    "feeding": (
        _("Eating and drinking"),
        [
            (0, _("I am fed through a tube, or someone feeds me")),
            (1, _("I need some help to eat or drink, or to put on my aids")),
            (2, _("I eat alone; I need aids or help only to cut, pour or open")),
            (3, _("I eat and drink alone, without help or aids")),
        ],
    ),
    "bathing_upper_body": (_("Washing your upper body and head"), ASSISTANCE),
    "bathing_lower_body": (_("Washing your lower body"), ASSISTANCE),
    "dressing_upper_body": (_("Dressing your upper body"), DRESSING),
    "dressing_lower_body": (_("Dressing your lower body"), DRESSING),
    "grooming": (
        _("Grooming (washing hands and face, brushing teeth, combing, shaving, make-up)"),
        ASSISTANCE,
    ),
    "respiration": (
        _("Breathing"),
        [
            (0, _("I have a breathing tube and need a ventilator all or some of the time")),
            (
                2,
                _(
                    "I have a breathing tube, use oxygen and need a lot of help "
                    "to cough or care for the tube"
                ),
            ),
            (4, _("I have a breathing tube and need a little help to cough or care for the tube")),
            (6, _("No tube; I use oxygen, a mask or a ventilator, or need a lot of help to cough")),
            (8, _("No tube; I need a little help or a reminder to cough")),
            (10, _("I breathe on my own, without help or devices")),
        ],
    ),
    "bladder_management": (
        _("Emptying your bladder"),
        [
            (0, _("I have a permanent catheter")),
            (
                3,
                _("Urine stays in my bladder after emptying and I do not use a catheter regularly"),
            ),
            (
                6,
                _(
                    "I use a catheter myself or little urine stays behind, "
                    "but I need help with the drainage"
                ),
            ),
            (9, _("I use a catheter myself and manage external drainage without help")),
            (11, _("I use a catheter myself, stay dry in between and need no external drainage")),
            (13, _("Little urine stays behind; I only need external drainage, without help")),
            (15, _("Little urine stays behind; I stay dry and need no drainage")),
        ],
    ),
    "bowel_management": (
        _("Emptying your bowels"),
        [
            (0, _("Irregular or rare (less than once in three days)")),
            (5, _("Regular with help (for example a suppository); accidents are rare")),
            (8, _("Regular without help; accidents are rare")),
            (10, _("Regular without help; no accidents")),
        ],
    ),
    "use_of_toilet": (
        _("Using the toilet (cleaning yourself, clothes, pads)"),
        [
            (0, _("I need someone to do it for me")),
            (1, _("I need some help and do not clean myself")),
            (2, _("I need some help but clean myself")),
            (4, _("I do everything alone, with aids or a special set-up")),
            (5, _("I do everything alone, without aids")),
        ],
    ),
    "bed_mobility": (
        _("Moving in bed and preventing pressure sores (turning, sitting up, lifting yourself)"),
        [
            (0, _("I need help with all of these")),
            (2, _("I do one of these alone")),
            (4, _("I do two or three of these alone")),
            (6, _("I do all of these alone")),
        ],
    ),
    "transfer_bed_wheelchair": (_("Getting from bed to wheelchair"), TRANSFER),
    "transfer_wheelchair_toilet_tub": (_("Getting from wheelchair to toilet or bath"), TRANSFER),
    "mobility_indoors": (_("Moving around indoors"), MOVING),
    "mobility_moderate_distances": (_("Moving 10 to 100 metres"), MOVING),
    "mobility_outdoors": (_("Moving outdoors, more than 100 metres"), MOVING),
    "stair_management": (
        _("Stairs"),
        [
            (0, _("I cannot go up or down stairs")),
            (1, _("I manage at least 3 steps with someone holding or watching me")),
            (2, _("I manage at least 3 steps holding a rail, a crutch or a cane")),
            (3, _("I manage at least 3 steps without any support")),
        ],
    ),
    "transfer_wheelchair_car": (_("Getting from wheelchair into a car"), TRANSFER),
    "transfer_ground_wheelchair": (
        _("Getting from the floor into a wheelchair"),
        [
            (0, _("I need help")),
            (1, _("I do it alone, or I do not use a wheelchair")),
        ],
    ),
}


class ScimSrForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, choices) in ITEMS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("Not answered")), *choices],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
