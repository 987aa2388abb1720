"""The questionnaires as a patient sees them: plain words, in their language, same fields.

Each form has the field names of the instrument's own form, so the answers go to the
instrument's form and `score` unchanged (record_instrument parses them again). The licensed
instruments (EQ-5D-5L, MSIS-29) are shown with the short item labels the clinic's staff forms
use, never the copyrighted item wording (docs/questionnaires.md, "Wording and licences").
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from celltrace.clinical.item_scores import item_name
from celltrace.clinical.questionnaires import BASELINE
from celltrace.outcomes import instruments


def _choice(label, choices, *, required=False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("No answer")), *choices] if not required else choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


class PainQuestion(forms.Form):
    intro = _("Think about your pain over the last seven days.")
    pain = _choice(
        _(
            "On average, how strong was your pain? 0 means no pain, "
            "10 the worst pain you can imagine."
        ),
        [(0, _("0 - no pain")), *((n, str(n)) for n in range(1, 10)), (10, _("10 - worst pain"))],
        required=True,
    )


LEVELS = [
    (1, _("No problems")),
    (2, _("Slight problems")),
    (3, _("Moderate problems")),
    (4, _("Severe problems")),
]
EQ5D_DIMENSIONS = {
    "mobility": (_("Walking about"), _("I am unable to walk about")),
    "self_care": (_("Washing or dressing yourself"), _("I am unable to wash or dress myself")),
    "usual_activities": (
        _("Usual activities (work, study, housework, family or leisure)"),
        _("I am unable to do my usual activities"),
    ),
    "pain_discomfort": (_("Pain or discomfort"), _("Extreme pain or discomfort")),
    "anxiety_depression": (
        _("Feeling anxious or depressed"),
        _("Extremely anxious or depressed"),
    ),
}


class HealthToday(forms.Form):
    intro = _("For each topic, choose the answer that best describes your health today.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, worst) in EQ5D_DIMENSIONS.items():
            self.fields[name] = _choice(label, [*LEVELS, (5, worst)])
        self.fields["vas"] = forms.IntegerField(
            label=_(
                "How good or bad is your health today? 100 is the best health you can "
                "imagine, 0 the worst."
            ),
            required=False,
            min_value=0,
            max_value=100,
            widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        )


MSIS29_ANSWERS = [
    (1, _("Not at all")),
    (2, _("A little")),
    (3, _("Moderately")),
    (4, _("Quite a bit")),
    (5, _("Extremely")),
]
MSIS29_TOPICS = (
    _("Physically demanding tasks"),
    _("Gripping things tightly"),
    _("Carrying things"),
    _("Balance"),
    _("Moving about indoors"),
    _("Clumsiness"),
    _("Stiffness"),
    _("Heavy arms or legs"),
    _("Tremor of the arms or legs"),
    _("Spasms in the limbs"),
    _("Your body not doing what you want it to"),
    _("Depending on others"),
    _("Social and leisure activities at home"),
    _("Being stuck at home"),
    _("Using your hands in everyday tasks"),
    _("Cutting down time at work or in daily activities"),
    _("Using transport"),
    _("Taking longer to do things"),
    _("Doing things on the spur of the moment"),
    _("Needing to go to the toilet urgently"),
    _("Feeling unwell"),
    _("Sleeping"),
    _("Mental tiredness"),
    _("Worries about your MS"),
    _("Feeling anxious or tense"),
    _("Feeling irritable or impatient"),
    _("Concentrating"),
    _("Confidence"),
    _("Feeling depressed"),
)


class MsImpact(forms.Form):
    intro = _("In the past two weeks, how much has your MS affected you in each of these?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, topic in enumerate(MSIS29_TOPICS, start=1):
            self.fields[item_name(number)] = _choice(topic, MSIS29_ANSWERS)


# The instrument's code -> its form for patients. SCIM-SR's own form is written for them.
PATIENT_FORMS: dict[str, type[forms.Form]] = {
    "pain": PainQuestion,
    "eq5d5l": HealthToday,
    "msis29": MsImpact,
}


def patient_form(code: str, data=None) -> forms.Form:
    """The patient's form of a self-report instrument (KeyError for any other)."""
    definition = instruments.instrument(code)
    if not definition.self_report:
        raise KeyError(code)
    return PATIENT_FORMS.get(code, definition.form_class)(data=data)


# The questionnaires' names as patients read them (the instruments' labels are for staff).
TITLES = {
    "pain": _("Pain"),
    "eq5d5l": _("Your health today (EQ-5D-5L)"),
    "msis29": _("Living with MS (MSIS-29)"),
    "scim_sr": _("Everyday independence (SCIM self-report)"),
}


def title(code: str) -> str:
    return TITLES.get(code) or instruments.instrument(code).label


def when(timepoint: str) -> str:
    """The time point in the patient's words: "before your treatment", "3 months after it"."""
    if timepoint == BASELINE:
        return str(_("before your treatment"))
    number, _space, unit = timepoint.partition(" ")  # the plan names follow-ups "<n> months"
    if not number.isdigit() or not unit.startswith("month"):
        return timepoint  # a plan naming its time points otherwise is shown as it names them
    months = int(number)
    return ngettext(
        "%(months)d month after your treatment", "%(months)d months after your treatment", months
    ) % {"months": months}
