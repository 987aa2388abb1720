"""What the questionnaire engines share: one item's answer checked against its allowed scores.

Every refusal names the item (e.g. "item_28", "bladder") so a form can put the words next to
the field that holds the answer.
"""

from __future__ import annotations


class ItemError(ValueError):
    """An item's answer is missing or not one of the scores its instrument allows."""

    def __init__(self, item: str, problem: str) -> None:
        self.item = item
        self.problem = problem
        super().__init__(f"{item}: {problem}")


def describe_scores(allowed: tuple[int, ...]) -> str:
    """Say which scores an item allows: a range when they are consecutive, else each one."""
    if allowed == tuple(range(allowed[0], allowed[-1] + 1)):
        return f"a whole number from {allowed[0]} to {allowed[-1]}"
    return f"one of {', '.join(map(str, allowed[:-1]))} or {allowed[-1]}"


def check_score(item: str, value: object, allowed: tuple[int, ...], *, optional: bool) -> None:
    """Refuse an answer that is not one of the item's scores (None only where it may be blank)."""
    if value is None:
        if optional:
            return
        raise ItemError(item, "Unanswered.")
    # bool is an int in Python, but True is no answer.
    if type(value) is not int or value not in allowed:
        raise ItemError(item, f"Must be {describe_scores(allowed)}, got {value!r}.")


def item_name(number: int) -> str:
    """Return the name of a numbered questionnaire item, as forms and refusals use it."""
    return f"item_{number}"


def check_items(items: object, count: int) -> tuple:
    """Refuse anything but a tuple of exactly `count` answers, in item order."""
    if not isinstance(items, tuple) or len(items) != count:
        raise ItemError("items", f"Must be the {count} answers in item order.")
    return items
