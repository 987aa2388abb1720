"""Cell numbers as clinicians write them: 1.5 × 10⁶."""

import math

from django import template

register = template.Library()

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@register.filter
def cells(value) -> str:
    """Format a number of cells in scientific notation."""
    if value is None:
        return "—"
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    exponent = math.floor(math.log10(abs(value)))
    if exponent < 3:
        return f"{value:g}"
    mantissa = round(value / 10**exponent, 3)
    if abs(mantissa) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:g} × 10{str(exponent).translate(_SUPERSCRIPTS)}"
