"""Reference ISNCSCI exams and how they look as a filled-in worksheet form."""

import copy

from django.utils import timezone

from celltrace.clinical.isncsci.segments import DERMATOMES, KEY_MUSCLES
from celltrace.clinical.tests.reference_cases import isncsci_cases

NON_KEY = "lowestNonKeyMuscleWithMotorFunction"


def reference_case(case_id: int) -> dict:
    """Return one case of the ISNCSCI 2019 reference set (exam and expected result)."""
    return next(case for case in isncsci_cases() if case["id"] == case_id)


def normal_exam() -> dict:
    """Return the exam of a person without a spinal cord injury (AIS E, motor score 100)."""
    side = {
        "motor": dict.fromkeys(KEY_MUSCLES, "5"),
        "lightTouch": dict.fromkeys(DERMATOMES, "2"),
        "pinPrick": dict.fromkeys(DERMATOMES, "2"),
    }
    return {
        "right": copy.deepcopy(side),
        "left": copy.deepcopy(side),
        "voluntaryAnalContraction": "Yes",
        "deepAnalPressure": "Yes",
    }


def worksheet_post(exam: dict, *, timepoint="baseline", measured_on=None, **extra) -> dict:
    """Return the POST data of the worksheet form filled in with an exam."""
    data = {
        "measured_on": (measured_on or timezone.localdate()).isoformat(),
        "timepoint": timepoint,
        "voluntaryAnalContraction": exam["voluntaryAnalContraction"],
        "deepAnalPressure": exam["deepAnalPressure"],
    }
    for side in ("right", "left"):
        for kind in ("motor", "lightTouch", "pinPrick"):
            for segment, grade in exam[side][kind].items():
                data[f"{side}_{kind}_{segment}"] = grade
        data[f"{side}_{NON_KEY}"] = exam[side].get(NON_KEY, "")
    return data | extra
