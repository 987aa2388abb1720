"""API endpoints for donors: register, record tests, determine eligibility (21 CFR 1271.85)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from celltrace.accounts.access import RoleSession
from celltrace.lab import actions, donors
from celltrace.lab.access import (
    DONOR_DETERMINERS,
    DONOR_VIEWERS,
    LOT_MAKERS,
    donors_for_user,
    get_donor_for_user,
)
from celltrace.lab.models import Donor
from celltrace.pages import ClinicPagination, Rows

router = Router(tags=["lab"])


class DonorOut(Schema):
    id: int
    code: str
    site: str
    recovered_on: date
    sex: str
    age_years: int | None
    determination: str


class DonorTestOut(Schema):
    test: str
    test_name: str
    reactive: bool
    specimen_date: date
    laboratory: str
    recorded_by: str
    recorded_at: datetime


class DeterminationOut(Schema):
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime


class DonorLotOut(Schema):
    id: int
    code: str
    product: str
    status: str
    donor_state: str


class DonorDetailOut(DonorOut):
    tests: list[DonorTestOut]
    determinations: list[DeterminationOut]
    # Why the donor may not be determined eligible yet (empty when they may).
    eligibility_problems: list[str]
    lots: list[DonorLotOut]


class DonorIn(Schema):
    code: str
    recovered_on: date
    sex: str = "unknown"
    age_years: int | None = None


class DonorTestIn(Schema):
    test: str
    reactive: bool
    specimen_date: date
    laboratory: str


class DeterminationIn(Schema):
    decision: str
    reason: str = ""


def donor_out(donor: Donor) -> DonorOut:
    return DonorOut(
        id=donor.pk,
        code=donor.code,
        site=donor.site.code,
        recovered_on=donor.recovered_on,
        sex=donor.sex,
        age_years=donor.age_years,
        determination=donor.determination,
    )


def donor_detail_out(donor: Donor) -> DonorDetailOut:
    leukocyte_rich = donor.lots.filter(product__leukocyte_rich=True).exists()
    lots = donor.lots.select_related("product", "donor")
    return DonorDetailOut(
        **donor_out(donor).model_dump(),
        tests=[
            DonorTestOut(
                test=r.test.code,
                test_name=r.test.name,
                reactive=r.reactive,
                specimen_date=r.specimen_date,
                laboratory=r.laboratory,
                recorded_by=str(r.recorded_by),
                recorded_at=r.recorded_at,
            )
            for r in donor.test_results.select_related("test", "recorded_by")
        ],
        determinations=[
            DeterminationOut(
                decision=d.decision,
                reason=d.reason,
                decided_by=str(d.decided_by),
                decided_at=d.decided_at,
            )
            for d in donor.determinations.select_related("decided_by")
        ],
        eligibility_problems=donors.assessment(donor, leukocyte_rich=leukocyte_rich).problems(),
        lots=[
            DonorLotOut(
                id=lot.pk,
                code=lot.code,
                product=lot.product.code,
                status=lot.status,
                donor_state=lot.donor_state,
            )
            for lot in lots
        ],
    )


@router.get("", response=list[DonorOut], auth=RoleSession(DONOR_VIEWERS))
@paginate(ClinicPagination)
def list_donors(request, determination: str = ""):
    """The donors of the caller's site; optionally of one determination."""
    rows = donors_for_user(request.user).select_related("site")
    if determination:
        rows = rows.filter(determination=determination)
    return Rows(rows, donor_out)


@router.post("", response={201: DonorOut}, auth=RoleSession(LOT_MAKERS))
def register(request, payload: DonorIn):
    """Register a donor by code at the caller's site: no name, only what eligibility needs."""
    donor = actions.register_donor(request.user.site, request.user, **payload.model_dump())
    return Status(201, donor_out(donor))


@router.get("/{donor_id}", response=DonorDetailOut, auth=RoleSession(DONOR_VIEWERS))
def get_donor(request, donor_id: int):
    return donor_detail_out(get_donor_for_user(request.user, donor_id))


@router.post("/{donor_id}/tests", response={201: DonorDetailOut}, auth=RoleSession(LOT_MAKERS))
def add_test(request, donor_id: int, payload: DonorTestIn):
    """Record one test of the donor's specimen (reactive or not); results are never edited."""
    donor = get_donor_for_user(request.user, donor_id)
    actions.record_donor_test(donor, request.user, **payload.model_dump())
    return Status(201, donor_detail_out(donor))


@router.post(
    "/{donor_id}/determination", response=DonorDetailOut, auth=RoleSession(DONOR_DETERMINERS)
)
def determine(request, donor_id: int, payload: DeterminationIn):
    """Determine the donor eligible (complete, non-reactive panel) or ineligible (with why)."""
    donor = get_donor_for_user(request.user, donor_id)
    return donor_detail_out(actions.determine_donor(donor, request.user, **payload.model_dump()))
