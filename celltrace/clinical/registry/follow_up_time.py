"""placeholder: replaced by the flow helper's module."""


def follow_up_section(inputs, plan) -> dict:
    """placeholder: replaced by the flow helper's module."""
    return {}
