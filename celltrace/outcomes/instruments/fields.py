"""Form pieces the instrument folders share, so that alike instruments read alike."""

from django import forms

from celltrace.outcomes.instruments.base import Measure, Measured


def value_field(measure: Measure, *, label: str | None = None, whole: bool = False, required=True):
    """A number field for one measure; its range is judged by the action, against the Measure.

    The widget carries the range for the browser, but the form does not refuse it, so the
    form, the API and a direct call of the action refuse a value out of range in one place
    and in the same words.
    """
    attrs = {"min": f"{measure.low:g}", "max": f"{measure.high:g}"}
    attrs["step"] = "1" if whole else ("any" if measure.step is None else f"{measure.step:g}")
    field = forms.IntegerField if whole else forms.FloatField
    return field(
        label=label or f"{measure.label} ({measure.unit})",
        required=required,
        widget=forms.NumberInput(attrs=attrs),
    )


def seconds_field(label: str, *, limit: float):
    """One completed timed trial in seconds; a trial stopped at the manual's limit is none."""
    return forms.FloatField(
        label=label,
        widget=forms.NumberInput(attrs={"min": "0", "max": f"{limit:g}", "step": "0.1"}),
        min_value=0.1,
        max_value=limit,
    )


def one_value(measure: Measure, field: str, *, details: dict | None = None):
    """A `score` for an instrument whose form holds the value itself."""

    def score(data: dict) -> list[Measured]:
        return [Measured(measure.code, float(data[field]), dict(details or {}))]

    return score
