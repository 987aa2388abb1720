"""The Spinal Cord Independence Measure, version III (SCIM III): three subscales and the total.

Itzkovich M, Gelernter I, Biering-Sorensen F, et al. The Spinal Cord Independence Measure (SCIM)
version III: reliability and validity in a multi-center international study. Disabil Rehabil
2007;29:1926-33; Catz A, Itzkovich M. Spinal Cord Independence Measure: comprehensive ability
rating scale for the spinal cord lesion patient. J Rehabil Res Dev 2007;44:65-8.

19 items weighted by their clinical relevance, so an item's scores are not always consecutive
(bladder management is 0, 3, 6, 9, 11, 13 or 15). Self-care 0-20, respiration and sphincter
management 0-40, mobility 0-40, total 0-100, higher meaning more independent. Every item must
be scored: the form has no "not applicable" and the developers give no rule for a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from celltrace.clinical.item_scores import check_score

# Each item's allowed scores, from the SCIM III form (Itzkovich 2007, appendix).
ALLOWED_SCORES = {
    "feeding": (0, 1, 2, 3),
    "bathing_upper_body": (0, 1, 2, 3),
    "bathing_lower_body": (0, 1, 2, 3),
    "dressing_upper_body": (0, 1, 2, 3, 4),
    "dressing_lower_body": (0, 1, 2, 3, 4),
    "grooming": (0, 1, 2, 3),
    "respiration": (0, 2, 4, 6, 8, 10),
    "bladder_management": (0, 3, 6, 9, 11, 13, 15),
    "bowel_management": (0, 5, 8, 10),
    "use_of_toilet": (0, 1, 2, 4, 5),
    "bed_mobility": (0, 2, 4, 6),
    "transfer_bed_wheelchair": (0, 1, 2),
    "transfer_wheelchair_toilet_tub": (0, 1, 2),
    "mobility_indoors": tuple(range(9)),
    "mobility_moderate_distances": tuple(range(9)),
    "mobility_outdoors": tuple(range(9)),
    "stair_management": (0, 1, 2, 3),
    "transfer_wheelchair_car": (0, 1, 2),
    "transfer_ground_wheelchair": (0, 1),
}

SUBSCALES = {
    "self_care": (
        "feeding",
        "bathing_upper_body",
        "bathing_lower_body",
        "dressing_upper_body",
        "dressing_lower_body",
        "grooming",
    ),
    "respiration_sphincter": (
        "respiration",
        "bladder_management",
        "bowel_management",
        "use_of_toilet",
    ),
    "mobility": (
        "bed_mobility",
        "transfer_bed_wheelchair",
        "transfer_wheelchair_toilet_tub",
        "mobility_indoors",
        "mobility_moderate_distances",
        "mobility_outdoors",
        "stair_management",
        "transfer_wheelchair_car",
        "transfer_ground_wheelchair",
    ),
}
SUBSCALE_MAXIMA = {"self_care": 20, "respiration_sphincter": 40, "mobility": 40}


@dataclass(frozen=True, slots=True)
class ScimItems:
    """The 19 SCIM III item scores, each one of the scores its item allows."""

    feeding: int
    bathing_upper_body: int
    bathing_lower_body: int
    dressing_upper_body: int
    dressing_lower_body: int
    grooming: int
    respiration: int
    bladder_management: int
    bowel_management: int
    use_of_toilet: int
    bed_mobility: int
    transfer_bed_wheelchair: int
    transfer_wheelchair_toilet_tub: int
    mobility_indoors: int
    mobility_moderate_distances: int
    mobility_outdoors: int
    stair_management: int
    transfer_wheelchair_car: int
    transfer_ground_wheelchair: int

    def __post_init__(self) -> None:
        for field in fields(self):
            check_score(
                field.name, getattr(self, field.name), ALLOWED_SCORES[field.name], optional=False
            )


@dataclass(frozen=True, slots=True)
class ScimScore:
    total: int
    self_care: int
    respiration_sphincter: int
    mobility: int


def score_scim3(items: ScimItems) -> ScimScore:
    """Sum the items into the three subscales and the total."""
    subscales = {
        name: sum(getattr(items, item) for item in members) for name, members in SUBSCALES.items()
    }
    return ScimScore(total=sum(subscales.values()), **subscales)
