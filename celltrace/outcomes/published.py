"""Which patient summary is public: the latest publication of a condition, unless withdrawn.

A withdrawal never brings an older, superseded summary back: until a new one is published
the condition has none, so a text the clinic stopped standing behind cannot reappear.
"""

from celltrace.outcomes.models import PublishedSummary


def latest_summary(condition) -> PublishedSummary | None:
    """The condition's latest publication, withdrawn or not (the staff screen shows both)."""
    return (
        PublishedSummary.objects.filter(condition=condition)
        .select_related("withdrawal", "published_by")
        .first()
    )


def public_summary(condition) -> PublishedSummary | None:
    """The summary shown on the public page and in the portal, or None."""
    summary = latest_summary(condition)
    if summary is None or hasattr(summary, "withdrawal"):
        return None
    return summary


def published_conditions() -> list[PublishedSummary]:
    """The public summary of each condition that has one, by the condition's name."""
    latest = {}
    for summary in PublishedSummary.objects.select_related("condition", "withdrawal"):
        latest.setdefault(summary.condition_id, summary)  # newest first: keep the first seen
    public = [s for s in latest.values() if not hasattr(s, "withdrawal")]
    return sorted(public, key=lambda summary: summary.condition.name)


def publications(condition_code: str, *, shown: int = 10) -> list[PublishedSummary]:
    """The condition's latest publications, newest first, for the staff screen."""
    return list(
        PublishedSummary.objects.filter(condition__code=condition_code).select_related(
            "condition", "withdrawal__withdrawn_by", "published_by"
        )[:shown]
    )
