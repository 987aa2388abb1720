"""placeholder: replaced by the flow helper's module."""


def flow_section(inputs) -> dict:
    """placeholder: replaced by the flow helper's module."""
    return {}
