"""placeholder: replaced by the flow helper's module."""


def baseline_section(inputs, plan, rows) -> dict:
    """placeholder: replaced by the flow helper's module."""
    return {}
