import datetime as dt

from celltrace.clinical.measurement_timing import timepoint_problem

D = dt.date


def test_baselines_come_before_treatment_and_follow_up_after_it():
    first = D(2026, 3, 2)
    assert timepoint_problem("baseline", D(2026, 3, 2), first) is None
    assert timepoint_problem("baseline", D(2026, 3, 3), first) is not None
    assert timepoint_problem("follow_up", D(2026, 3, 2), first) is not None
    assert timepoint_problem("follow_up", D(2026, 6, 2), first) is None
    assert timepoint_problem("follow_up", D(2026, 6, 2), None) is not None
    assert timepoint_problem("baseline", D(2026, 6, 2), None) is None
