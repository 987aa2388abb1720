"""The report's statistics wrappers: one of each, so every section gets the same numbers."""

import pytest

from celltrace.clinical.registry import stats
from celltrace.clinical.registry.safety import exact_proportion, exact_upper_bound_if_none


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (7, 25), (25, 25), (1, 200)])
def test_the_safety_section_takes_its_exact_interval_from_the_one_wrapper(k, n):
    # The same floats to the last digit: a twin wrapper with alpha=0.05 differs from
    # 1 - 0.95 in the last place, and the report's golden proof would see it.
    assert exact_proportion(k, n, small_cell=10) == (k / n, stats.exact_ci95(k, n))


@pytest.mark.parametrize("n", [10, 12, 25, 200])
def test_the_zero_event_bound_is_the_one_wrappers_one_sided_bound(n):
    assert exact_upper_bound_if_none(0, n, small_cell=10) == stats.exact_upper95(0, n)
    assert stats.exact_upper95(0, n) == pytest.approx(1 - 0.05 ** (1 / n))  # exact at k = 0


def test_the_one_sided_bound_is_the_upper_end_of_the_central_90_percent_interval():
    assert stats.exact_upper95(3, 20) == pytest.approx(stats.exact_ci95(3, 20, confidence=0.9)[1])
