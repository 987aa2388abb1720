from datetime import date

from celltrace.clinical.edss_course import EdssPoint, edss_course


def readings(*pairs):
    return [EdssPoint(date.fromisoformat(on), edss) for on, edss in pairs]


WORSENING = readings(
    ("2024-01-01", 2.0), ("2024-04-01", 2.0), ("2024-07-01", 3.0), ("2024-10-01", 3.0)
)


def test_a_confirmed_rise_of_one_point_is_a_worsening_typed_pira_without_relapses():
    (event,) = edss_course(WORSENING).events
    assert (event.kind, event.label, event.on, event.edss) == ("CDW", "PIRA", date(2024, 7, 1), 3.0)
    assert (event.baseline_on, event.baseline_edss) == (date(2024, 1, 1), 2.0)


def test_a_relapse_shortly_before_the_rise_makes_it_relapse_associated():
    (event,) = edss_course(WORSENING, [date(2024, 6, 20)]).events
    assert event.label == "RAW"


def test_an_unconfirmed_rise_is_no_event():
    course = edss_course(readings(("2024-01-01", 2.0), ("2024-04-01", 3.0), ("2024-07-01", 2.0)))
    assert course.events == ()


def test_a_confirmed_fall_is_an_improvement():
    course = edss_course(readings(("2024-01-01", 4.0), ("2024-04-01", 3.0), ("2024-07-01", 3.0)))
    assert [(e.kind, e.label, e.on) for e in course.events] == [("CDI", "CDI", date(2024, 4, 1))]


def test_every_event_is_kept_not_only_the_first():
    course = edss_course(
        readings(
            ("2022-01-01", 2.0),
            ("2022-04-01", 3.0),
            ("2022-07-01", 3.0),
            ("2023-01-01", 4.0),
            ("2023-04-01", 4.0),
        )  # fmt: skip
    )
    assert [e.on for e in course.events] == [date(2022, 4, 1), date(2023, 1, 1)]


def test_readings_come_back_in_date_order_and_no_readings_give_no_events():
    course = edss_course(list(reversed(WORSENING)))
    assert [p.measured_on for p in course.points] == sorted(p.measured_on for p in WORSENING)
    assert edss_course([]).events == ()
