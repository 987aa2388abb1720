from celltrace.outcomes.templatetags.report_format import cell, proportion, share, with_ci

RULES = {"small_cell": 10, "completeness_flag": 0.9}


def test_a_small_cell_shows_counts_only_and_says_so():
    assert cell(None, 9, RULES) == "n < 10: counts only"
    assert proportion(4, 9, None, RULES) == "4/9 (n < 10: counts only)"
    assert with_ci(1, 9, None, RULES) == "1/9 (n < 10: counts only)"
    assert share(3, 9, RULES) == "3/9"  # a count of a small group: never a percentage


def test_a_large_enough_cell_shows_its_numbers_with_k_and_n():
    assert cell(-0.1667, 12, RULES) == "-0.17"
    assert cell([-2.06, 1.73], 12, RULES) == "-2.06 to 1.73"
    assert share(3, 12, RULES) == "3/12 (25.0 %)"
    assert proportion(9, 12, 0.75, RULES) == "9/12 (75.0 %)"
    assert with_ci(3, 12, [0.089, 0.532], RULES) == "3/12 (25.0 %), 95 % CI 8.9 % to 53.2 %"
