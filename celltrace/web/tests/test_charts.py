"""The dashboards' charts and request ages, computed without a database."""

import datetime as dt

import pytest

from celltrace.web.charts import age_bucket, bar_chart, count_by_age

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (dt.timedelta(hours=23, minutes=59), "under 1 day"),
        (dt.timedelta(days=1), "1-3 days"),
        (dt.timedelta(days=2, hours=23), "1-3 days"),
        (dt.timedelta(days=3), "3-7 days"),
        (dt.timedelta(days=6, hours=23), "3-7 days"),
        (dt.timedelta(days=7), "over 7 days"),
        (dt.timedelta(days=400), "over 7 days"),
    ],
)
def test_a_wait_falls_in_one_bucket_and_a_bound_counts_as_the_older_one(age, bucket):
    assert age_bucket(age) == bucket


def test_every_bucket_is_counted_even_when_empty_youngest_first():
    created = [NOW - dt.timedelta(hours=2), NOW - dt.timedelta(days=8), NOW - dt.timedelta(days=9)]
    assert count_by_age(created, NOW) == [
        ("under 1 day", 1),
        ("1-3 days", 0),
        ("3-7 days", 0),
        ("over 7 days", 2),
    ]


def test_bars_stand_on_the_baseline_in_proportion_to_the_largest_count():
    chart = bar_chart("k", "Counts", [("a", 4), ("b", 2), ("c", 0)], width=200, height=100)
    a, b, c = chart.bars
    assert a.y + a.height == b.y + b.height == c.y + c.height == chart.baseline
    assert b.height == pytest.approx(a.height / 2, abs=0.1)
    assert c.height == 0
    assert a.x < b.x < c.x and a.x + a.width <= b.x
    assert chart.text == "a: 4, b: 2, c: 0"


def test_a_limit_draws_its_line_and_marks_only_the_bars_above_it():
    chart = bar_chart("load", "Load", [("1", 3), ("2", 4), ("3", 5)], limit=4)
    assert [bar.over for bar in chart.bars] == [False, False, True]
    assert chart.limit_y == chart.bars[1].y  # the line runs at the height of a bar of 4


def test_a_limit_above_every_bar_still_fits_in_the_chart():
    chart = bar_chart("load", "Load", [("1", 1)], limit=4)
    assert 0 <= chart.limit_y < chart.bars[0].y


def test_all_zero_counts_draw_flat_bars_not_a_division_by_zero():
    chart = bar_chart("k", "Nothing", [("a", 0), ("b", 0)])
    assert [bar.height for bar in chart.bars] == [0, 0]


def test_long_labels_name_the_bars_in_words():
    chart = bar_chart("k", "Load", [("12", 3)], long_labels=["Mon 12 May"])
    assert chart.bars[0].label == "12"
    assert chart.text == "Mon 12 May: 3"
