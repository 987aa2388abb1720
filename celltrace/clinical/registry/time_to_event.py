"""placeholder: replaced by the safety helper's module."""


def time_to_event_section(inputs, plan) -> list[dict]:
    """placeholder: replaced by the safety helper's module."""
    return []
