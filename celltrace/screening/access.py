"""Who does what in screening, and which screenings a user may open: one source for all doors."""

from django.db.models import Exists, OuterRef, Q

from celltrace.accounts.access import CLINICAL_STAFF, get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.screening.models import Screening

# Screening a patient and signing the decision are the doctors' work.
RECORD_ROLES = frozenset({Role.DOCTOR})
SIGN_ROLES = RECORD_ROLES
# Facts (day-one lab results above all) and the day-one re-check: doctors and ward nurses.
FACT_ROLES = frozenset({Role.DOCTOR, Role.NURSE})
# Prior therapies: taken with the history at intake by the medical advisor, or by a doctor.
PRIOR_THERAPY_ROLES = frozenset({Role.ADVISOR, Role.DOCTOR})
# The care team of the patient's site; the medical advisor's work ends at conversion.
VIEW_ROLES = CLINICAL_STAFF
# Publishing a new version of the contraindication rules.
PUBLISH_ROLES = frozenset({Role.ADMIN, Role.DOCTOR})


def screenings_for_user(user):
    """Return the screenings of patients at the user's site."""
    return scope_to_site(Screening.objects.all(), user, site_field="patient__site")


def awaiting_signature_of(doctor):
    """Return the decisions that wait for this doctor's signature.

    Decisions before planning, except incomplete ones (they wait for facts, not signatures),
    and the latest day-one re-check of an open stay when it found a new caution only.
    """
    planning = Q(purpose=Screening.Purpose.PLANNING) & ~Q(decision=Screening.Decision.INCOMPLETE)
    later = Screening.objects.filter(
        stay=OuterRef("stay"), purpose=Screening.Purpose.DAY_ONE, pk__gt=OuterRef("pk")
    )
    day_one = (
        Q(purpose=Screening.Purpose.DAY_ONE, stay__discharged_at__isnull=True, new_exclusions=[])
        & ~Q(new_cautions=[])
        & ~Exists(later)
    )
    unsigned = screenings_for_user(doctor).filter(
        planning | day_one, finalized_at__isnull=True, ruleset__isnull=False
    )
    return unsigned.exclude(signatures__doctor=doctor).select_related("patient")


def get_screening_for_user(user, pk) -> Screening:
    """Return one screening of a patient at the user's site, or 404."""
    queryset = Screening.objects.select_related("patient__condition", "doctor", "ruleset", "stay")
    return get_for_user(queryset, user, pk, site_field="patient__site")
