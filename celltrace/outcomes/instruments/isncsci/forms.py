"""The ISNCSCI forms: the 2019 worksheet screen, and the exam as JSON (the API's form).

Grades are free text (a datalist suggests the engine's values) so that an unknown grade reaches
the engine and comes back with the engine's own words next to the field it names.
"""

from django import forms

from celltrace.clinical.isncsci.exam import NON_KEY_MUSCLE_LEVELS, SIDES
from celltrace.clinical.isncsci.segments import DERMATOMES, KEY_MUSCLES, SEGMENTS
from celltrace.outcomes.exam_forms import date_field
from celltrace.outcomes.models import Timepoint

NON_KEY = "lowestNonKeyMuscleWithMotorFunction"
ANAL_CHOICES = [("Yes", "Yes"), ("No", "No"), ("NT", "NT (not tested)")]
# The 2019 worksheet's table of non-key muscle functions and their root levels.
NON_KEY_FUNCTIONS = {
    "C5": "Shoulder flexion, extension, abduction, adduction, rotation; elbow supination",
    "C6": "Elbow pronation; wrist flexion",
    "C7": "Finger flexion at the proximal joint, extension; thumb flexion, extension, abduction",
    "C8": "Finger flexion at the MCP joint; thumb opposition, adduction, abduction",
    "T1": "Index finger abduction",
    "L2": "Hip adduction",
    "L3": "Hip external rotation",
    "L4": "Hip extension, abduction, internal rotation; knee flexion; ankle; toe extension",
    "L5": "Hallux and toe DIP and PIP flexion and abduction",
    "S1": "Hallux adduction",
}
NON_KEY_CHOICES = [("", "None recorded")] + [
    (level, f"{level}: {NON_KEY_FUNCTIONS[level]}" if level in NON_KEY_FUNCTIONS else level)
    for level in SEGMENTS
    if level in NON_KEY_MUSCLE_LEVELS
]


class GradeField(forms.CharField):
    """One worksheet grade, read as typed but in upper case ('nt' is 'NT')."""

    def __init__(self, *, initial, datalist, label):
        attrs = {
            "size": 3,
            "autocomplete": "off",
            "list": datalist,
            "class": "grade",
            "aria-label": label,
        }
        super().__init__(
            max_length=4, initial=initial, label=label, widget=forms.TextInput(attrs=attrs)
        )

    def to_python(self, value):
        return super().to_python(value).upper()


class IsncsciForm(forms.Form):
    motor_suggestions = (
        *"543210",
        "NT",
        *(f"{g}{mark}" for mark in ("*", "**") for g in "43210"),
        "NT*",
        "NT**",
    )
    sensory_suggestions = ("2", "1", "0", "NT", "1*", "0*", "NT*", "1**", "0**", "NT**")
    measured_on = date_field("Examined on")
    timepoint = forms.ChoiceField(label="Timepoint", choices=Timepoint.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for side in SIDES:
            for muscle in KEY_MUSCLES:
                self.fields[f"{side}_motor_{muscle}"] = GradeField(
                    initial="5", datalist="motor-grades", label=f"{side} {muscle} motor"
                )
            for kind, name in (("lightTouch", "light touch"), ("pinPrick", "pin prick")):
                for dermatome in DERMATOMES:
                    self.fields[f"{side}_{kind}_{dermatome}"] = GradeField(
                        initial="2", datalist="sensory-grades", label=f"{side} {dermatome} {name}"
                    )
            self.fields[f"{side}_{NON_KEY}"] = forms.ChoiceField(
                label=f"Lowest non-key muscle with motor function ({side})",
                choices=NON_KEY_CHOICES,
                required=False,
            )
        for key, label in (
            ("voluntaryAnalContraction", "Voluntary anal contraction (VAC)"),
            ("deepAnalPressure", "Deep anal pressure (DAP)"),
        ):
            self.fields[key] = forms.ChoiceField(label=label, choices=ANAL_CHOICES, initial="Yes")

    def exam(self) -> dict:
        """Return the cleaned worksheet in the praxis JSON form the engine reads."""
        data = self.cleaned_data
        exam = {key: data[key] for key in ("voluntaryAnalContraction", "deepAnalPressure")}
        for side in SIDES:
            exam[side] = {
                "motor": {m: data[f"{side}_motor_{m}"] for m in KEY_MUSCLES},
                "lightTouch": {d: data[f"{side}_lightTouch_{d}"] for d in DERMATOMES},
                "pinPrick": {d: data[f"{side}_pinPrick_{d}"] for d in DERMATOMES},
            }
            if data.get(f"{side}_{NON_KEY}"):
                exam[side][NON_KEY] = data[f"{side}_{NON_KEY}"]
        return exam

    def worksheet_rows(self) -> list[dict]:
        """Return one row per dermatome as on the paper worksheet (motor only at key muscles)."""

        def cell(side, kind, segment):
            return self[f"{side}_{kind}_{segment}"]

        return [
            {
                "segment": "S4-5" if d == "S4_5" else d,
                "cells": [
                    cell("right", "motor", d) if d in KEY_MUSCLES else None,
                    cell("right", "lightTouch", d),
                    cell("right", "pinPrick", d),
                    cell("left", "lightTouch", d),
                    cell("left", "pinPrick", d),
                    cell("left", "motor", d) if d in KEY_MUSCLES else None,
                ],
            }
            for d in DERMATOMES
        ]

    def other_fields(self):
        """Return the fields outside the grid: date, timepoint, non-key muscles, VAC, DAP."""
        names = ["measured_on", "timepoint", f"right_{NON_KEY}", f"left_{NON_KEY}"]
        return [self[name] for name in (*names, "voluntaryAnalContraction", "deepAnalPressure")]


class IsncsciExamForm(forms.Form):
    """The exam in the praxis-isncsci JSON form; the engine names any bad field inside it."""

    exam = forms.JSONField(label="Exam (praxis-isncsci JSON)")
