"""Cell numbers on screens as everywhere else: 1.5 × 10⁶ (celltrace.clinical.numbers)."""

from django import template

from celltrace.clinical import numbers

register = template.Library()


@register.filter
def cells(value) -> str:
    """Write a number of cells in scientific notation: {{ dose|cells }} gives 2.0 × 10⁶."""
    return "—" if value is None or value == "" else numbers.cells(value)


@register.filter
def quantity(value, unit="") -> str:
    """Write a measured value with its unit: {{ result.value|quantity:spec.unit }}."""
    return "—" if value is None or value == "" else numbers.quantity(value, unit or "")


@register.filter
def dose(value, product) -> str:
    """Write a dose or limit in the product's unit: {{ p.dose_per_kg|dose:p.product }}."""
    return "—" if value is None or value == "" else product.dose_per_kg(value)


@register.filter
def amount(value, product) -> str:
    """Write a whole quantity in the product's unit: {{ p.total_amount|amount:p.product }}."""
    return "—" if value is None or value == "" else numbers.amount(value, product.dose_unit)


@register.filter
def money(value, currency) -> str:
    """Write an amount with its currency: {{ line.amount|money:plan.currency }} gives EUR 60.00."""
    return "—" if value is None or value == "" else numbers.money(value, currency)
