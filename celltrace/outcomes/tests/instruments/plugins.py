"""What the plug-in tests share: the locked analysis plan and a form filled as staff would."""

import json
from pathlib import Path

from django.template.loader import render_to_string

from celltrace.clinical.registry.plan import load_plan
from celltrace.outcomes.instruments.base import InstrumentDefinition

PLAN_FILE = (
    Path(__file__).resolve().parents[2] / "analysis_plans" / "v2.json"
)  # the latest shipped plan
PLAN = load_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")))


def assert_it_matches_the_analysis_plan(instrument: InstrumentDefinition) -> None:
    """Each measure is a plan instrument with its label, unit and direction; each condition
    named lists one of the measures among its outcomes."""
    for measure in instrument.measures:
        planned = PLAN.instruments[measure.code]
        assert (measure.label, measure.unit, measure.lower_is_better) == (
            planned.label,
            planned.unit,
            planned.lower_is_better,
        )
    codes = {measure.code for measure in instrument.measures}
    for condition in instrument.conditions:
        assert codes & set(PLAN.condition(condition).outcomes), condition


def filled_form(instrument: InstrumentDefinition, answers: dict):
    """Bind the instrument's form to answers as a browser posts them (strings, blanks "")."""
    data = {name: "" if value is None else str(value) for name, value in answers.items()}
    form = instrument.form_class(data=data)
    assert form.is_valid(), form.errors
    return form


def rendered(instrument: InstrumentDefinition, form) -> str:
    return render_to_string(instrument.template, {"form": form})
