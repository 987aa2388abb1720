"""Every page and API read costs the same number of queries at any size of the clinic.

The clinic is built at SIZE patients (testkit.clinic_of_size: a record of every kind per
patient), every GET route Django knows is requested as a user allowed to see it, then the
clinic grows to ten times its size (and the first patient's record to ten times its length)
and every page is requested again (testkit.page_walk). A page whose count grew reads rows one
by one (an N+1): the failure names the page and both counts. A page may ask fewer at the
larger size, never more: the patient page's newest page of history (50 changes) holds
fewer kinds of record once one kind fills it, and each kind present costs its own reads.
A page the walk cannot request is listed in page_walk.NOT_REQUESTED with the reason.
benchmarks/query_counts.py prints the table.
"""

import pytest

from celltrace.web.tests.test_role_matrix import POLICY
from testkit.clinic_of_size import Staff
from testkit.page_walk import (
    GROWTH,
    NOT_REQUESTED,
    SIZE,
    query_counts_at_two_sizes,
    walked_routes,
)


@pytest.fixture
def staff(advisor, doctor, nurse, lab_technician, quality_reviewer, coordinator, manager):
    return Staff(advisor, doctor, nurse, lab_technician, quality_reviewer, coordinator, manager)


def test_no_page_costs_more_queries_at_ten_times_the_clinic(site, staff, admin_user):
    counted, failed = query_counts_at_two_sizes(site, staff, admin_user)

    assert failed == []
    grew = [
        f"{row.page.label}: {row.small} queries at {SIZE} patients, {row.large} at {SIZE * GROWTH}"
        for row in counted
        if row.large > row.small
    ]
    assert grew == []
    # Every GET route of the URLconf was walked, but those named with a reason.
    assert {row.page.route for row in counted} == set(walked_routes())
    assert set(NOT_REQUESTED) <= {route for method, route in POLICY if method == "GET"}
