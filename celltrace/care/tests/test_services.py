"""Program services: interpreter, airport transfers and meals booked on the plan by coordinators."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.care import actions
from celltrace.care.models import ServiceBooking
from celltrace.care.tests.conftest import form_time
from celltrace.refusal import NotAllowed, Refused


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _arrival(plan, **changes):
    fields = {
        "direction": "arrival",
        "flight_number": "TP 1350",
        "scheduled_at": _at(plan.admission_date - dt.timedelta(days=1), 18),
        "pickup_place": "Lisbon airport, terminal 1",
    }
    return {**fields, **changes}


def _refused(act, *args, **kwargs) -> Refused:
    before = list(ServiceBooking.objects.values_list("pk", "status"))
    with pytest.raises(Refused) as caught:
        act(*args, **kwargs)
    assert list(ServiceBooking.objects.values_list("pk", "status")) == before
    return caught.value


def test_an_interpreter_speaks_the_patients_language_by_default(upcoming, coordinator):
    booking = actions.book_interpreter(upcoming, coordinator)
    assert booking.language == "Greek" and booking.booked_by == coordinator
    assert booking.history.first().history_user == coordinator


def test_a_transfer_keeps_the_flight_number_as_printed(upcoming, coordinator):
    booking = actions.book_transfer(upcoming, coordinator, **_arrival(upcoming))
    assert booking.flight_number == "TP1350" and booking.direction == "arrival"


def test_meals_of_another_diet_need_a_description(upcoming, coordinator):
    refusal = _refused(actions.book_meals, upcoming, coordinator, diet="other")
    assert refusal.field_errors == {"notes": "Describe the diet in the notes."}
    assert actions.book_meals(upcoming, coordinator, diet="halal").get_diet_display() == "Halal"


@pytest.mark.parametrize("role_user", ["doctor", "nurse", "manager"])
def test_only_a_coordinator_books(upcoming, role_user, request):
    refusal = _refused(
        actions.book_meals, upcoming, request.getfixturevalue(role_user), diet="vegan"
    )
    assert isinstance(refusal, NotAllowed)


def test_a_coordinator_of_another_site_is_refused(upcoming, other_site):
    from celltrace.accounts.models import Role, User

    theirs = User.objects.create_user("olga", role=Role.COORDINATOR, site=other_site)
    assert _refused(actions.book_interpreter, upcoming, theirs).code == "other_site"


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"flight_number": "LUFTHANSA"}, "flight_number", "e.g. LH1234"),
        ({"flight_number": "LH12345"}, "flight_number", "e.g. LH1234"),
        ({"pickup_place": " "}, "pickup_place", "picks the patient up"),
        ({"direction": "sideways"}, "direction", "arrival or departure"),
    ],
)
def test_a_transfer_is_refused_for_each_bad_value(upcoming, coordinator, changes, field, text):
    refusal = _refused(
        actions.book_transfer, upcoming, coordinator, **_arrival(upcoming, **changes)
    )
    assert text in refusal.field_errors[field]


@pytest.mark.parametrize("days_before", [2, -1])
def test_an_arrival_outside_the_day_before_and_the_admission_day_is_refused(
    upcoming, coordinator, days_before
):
    when = _at(upcoming.admission_date - dt.timedelta(days=days_before), 10)
    refusal = _refused(
        actions.book_transfer, upcoming, coordinator, **_arrival(upcoming, scheduled_at=when)
    )
    assert (
        "An arrival transfer is on the day before admission" in refusal.field_errors["scheduled_at"]
    )


def test_a_departure_is_around_the_discharge_day(upcoming, coordinator):
    departure = {"direction": "departure", "flight_number": "LH1173"}
    middle = _at(upcoming.admission_date + dt.timedelta(days=2), 10)
    refusal = _refused(
        actions.book_transfer,
        upcoming,
        coordinator,
        **_arrival(upcoming, scheduled_at=middle, **departure),
    )
    assert "around the discharge day" in refusal.field_errors["scheduled_at"]
    day_after = _at(upcoming.discharge_date + dt.timedelta(days=1), 7)
    booked = actions.book_transfer(
        upcoming, coordinator, **_arrival(upcoming, scheduled_at=day_after, **departure)
    )
    assert booked.direction == "departure"


def test_no_second_active_booking_of_the_same_kind_and_direction(upcoming, coordinator):
    actions.book_transfer(upcoming, coordinator, **_arrival(upcoming))
    refusal = _refused(actions.book_transfer, upcoming, coordinator, **_arrival(upcoming))
    assert (
        refusal.code == "already_booked"
        and "An arrival transfer is already booked" in refusal.message
    )
    actions.book_interpreter(upcoming, coordinator)
    assert _refused(actions.book_interpreter, upcoming, coordinator).code == "already_booked"


def test_a_cancelled_booking_may_be_booked_again(upcoming, coordinator):
    first = actions.book_meals(upcoming, coordinator, diet="vegan")
    cancelled = actions.cancel_booking(first, coordinator, reason="Patient asked for halal.")
    assert cancelled.status == "cancelled" and cancelled.cancelled_by == coordinator
    assert actions.book_meals(upcoming, coordinator, diet="halal").is_active


def test_a_cancellation_needs_a_reason_and_happens_once(upcoming, coordinator):
    booking = actions.book_meals(upcoming, coordinator, diet="vegan")
    refusal = _refused(actions.cancel_booking, booking, coordinator, reason=" ")
    assert refusal.field_errors == {"reason": "Say why the booking is cancelled."}
    actions.cancel_booking(booking, coordinator, reason="Stay moved.")
    refusal = _refused(actions.cancel_booking, booking, coordinator, reason="Again.")
    assert refusal.code == "already_cancelled"


def test_nothing_is_booked_on_a_plan_whose_stay_is_over(upcoming, coordinator):
    upcoming.admission_date = timezone.localdate() - dt.timedelta(days=10)
    upcoming.discharge_date = timezone.localdate() - dt.timedelta(days=5)
    upcoming.save()
    assert _refused(actions.book_meals, upcoming, coordinator, diet="vegan").code == "plan_over"


# Screens -------------------------------------------------------------------------------------


def test_the_plan_page_offers_and_shows_bookings_to_coordinators(upcoming, coordinator, client_for):
    client = client_for(coordinator)
    page = client.get(f"/plans/{upcoming.pk}/").content.decode()
    assert f"/care/plans/{upcoming.pk}/transfer/" in page and "No service booked." in page
    actions.book_interpreter(upcoming, coordinator)
    assert "Interpreter (Greek)" in client.get(f"/plans/{upcoming.pk}/").content.decode()


def test_the_plan_page_shows_no_bookings_to_a_nurse(upcoming, nurse, coordinator, client_for):
    actions.book_interpreter(upcoming, coordinator)
    page = client_for(nurse).get(f"/plans/{upcoming.pk}/").content.decode()
    assert "Interpreter (Greek)" not in page and "/care/plans/" not in page


def test_the_transfer_form_books_and_refuses(upcoming, coordinator, client_for):
    client = client_for(coordinator)
    url = f"/care/plans/{upcoming.pk}/transfer/"
    data = _arrival(upcoming)
    data["scheduled_at"] = form_time(data["scheduled_at"])
    bad = client.post(url, {**data, "flight_number": "12345"})
    assert bad.status_code == 200 and "e.g. LH1234" in bad.content.decode()
    assert not ServiceBooking.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/plans/{upcoming.pk}/"
    again = client.post(url, data).content.decode()
    assert "already booked" in again and ServiceBooking.objects.count() == 1


def test_the_interpreter_form_offers_the_patients_language(upcoming, coordinator, client_for):
    page = client_for(coordinator).get(f"/care/plans/{upcoming.pk}/interpreter/").content.decode()
    assert 'value="Greek"' in page


def test_the_meals_form_refuses_other_without_notes(upcoming, coordinator, client_for):
    url = f"/care/plans/{upcoming.pk}/meals/"
    response = client_for(coordinator).post(url, {"diet": "other", "notes": ""})
    assert "Describe the diet in the notes." in response.content.decode()
    assert not ServiceBooking.objects.exists()


def test_the_cancel_form_needs_a_reason(upcoming, coordinator, client_for):
    booking = actions.book_meals(upcoming, coordinator, diet="vegan")
    client = client_for(coordinator)
    url = f"/care/bookings/{booking.pk}/cancel/"
    assert "Say why the booking is cancelled." in client.post(url, {"reason": ""}).content.decode()
    assert ServiceBooking.objects.get().is_active
    assert client.post(url, {"reason": "Moved."}).status_code == 302
    assert not ServiceBooking.objects.get().is_active


def test_the_services_page_lists_the_next_two_weeks(
    upcoming, coordinator, site, doctor, client_for
):
    from testkit.journey import make_patient, make_plan

    later = make_plan(
        make_patient(site, language="Polish"),
        doctor,
        admission=timezone.localdate() + dt.timedelta(days=30),
    )
    actions.book_interpreter(upcoming, coordinator)
    actions.book_transfer(upcoming, coordinator, **_arrival(upcoming))
    actions.book_interpreter(later, coordinator)
    page = client_for(coordinator).get("/care/services/").content.decode()
    assert "Interpreter (Greek)" in page and "flight TP1350" in page
    assert "Interpreter (Polish)" not in page


def test_a_nurse_does_not_open_the_services_page(nurse, client_for):
    assert client_for(nurse).get("/care/services/").status_code == 403


# API -----------------------------------------------------------------------------------------


def test_the_api_books_lists_and_cancels(upcoming, coordinator, client_for):
    client = client_for(coordinator)
    body = _arrival(upcoming)
    body["scheduled_at"] = body["scheduled_at"].isoformat()
    response = client.post(
        f"/api/care/plans/{upcoming.pk}/transfers", body, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["flight_number"] == "TP1350"
    booking_id = response.json()["id"]
    listed = client.get(f"/api/care/plans/{upcoming.pk}/bookings").json()
    assert [b["id"] for b in listed] == [booking_id]
    upcoming_list = client.get("/api/care/services/upcoming").json()
    assert [u["booking"]["id"] for u in upcoming_list] == [booking_id]
    cancelled = client.post(
        f"/api/care/bookings/{booking_id}/cancel",
        {"reason": "Flight changed."},
        content_type="application/json",
    )
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("meals", {"diet": "other"}, "notes"),
        ("transfers", {"flight_number": "X"}, "flight_number"),
    ],
)
def test_the_api_refuses_with_the_field(upcoming, coordinator, client_for, path, body, field):
    if path == "transfers":
        arrival = _arrival(upcoming)
        arrival["scheduled_at"] = arrival["scheduled_at"].isoformat()
        body = {**arrival, **body}
    response = client_for(coordinator).post(
        f"/api/care/plans/{upcoming.pk}/{path}", body, content_type="application/json"
    )
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not ServiceBooking.objects.exists()


def test_the_api_refuses_a_duplicate_and_a_doctor(upcoming, coordinator, doctor, client_for):
    url = f"/api/care/plans/{upcoming.pk}/interpreter"
    assert client_for(coordinator).post(url, {}, content_type="application/json").status_code == 201
    again = client_for(coordinator).post(url, {}, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "already_booked"
    assert client_for(doctor).post(url, {}, content_type="application/json").status_code == 403
    assert ServiceBooking.objects.count() == 1


def test_the_form_and_the_api_refuse_an_arrival_on_the_wrong_day(upcoming, coordinator, client_for):
    client = client_for(coordinator)
    wrong = _arrival(upcoming, scheduled_at=_at(upcoming.admission_date + dt.timedelta(days=2), 9))
    form = {**wrong, "scheduled_at": form_time(wrong["scheduled_at"])}
    page = client.post(f"/care/plans/{upcoming.pk}/transfer/", form).content.decode()
    assert "An arrival transfer is on the day before admission" in page
    body = {**wrong, "scheduled_at": wrong["scheduled_at"].isoformat()}
    response = client.post(
        f"/api/care/plans/{upcoming.pk}/transfers", body, content_type="application/json"
    )
    assert response.status_code == 422 and "scheduled_at" in response.json()["errors"]
    assert not ServiceBooking.objects.exists()


def test_the_form_and_the_api_refuse_a_plan_whose_stay_is_over(upcoming, coordinator, client_for):
    upcoming.admission_date = timezone.localdate() - dt.timedelta(days=10)
    upcoming.discharge_date = timezone.localdate() - dt.timedelta(days=5)
    upcoming.save()
    client = client_for(coordinator)
    page = client.post(f"/care/plans/{upcoming.pk}/meals/", {"diet": "vegan"}).content.decode()
    assert "nothing more can be booked" in page
    response = client.post(
        f"/api/care/plans/{upcoming.pk}/meals", {"diet": "vegan"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "plan_over"
    assert not ServiceBooking.objects.exists()


def test_another_sites_plan_is_not_found(upcoming, other_site, client_for):
    from celltrace.accounts.models import Role, User

    theirs = User.objects.create_user("olga", role=Role.COORDINATOR, site=other_site)
    client = client_for(theirs)
    assert client.post(f"/care/plans/{upcoming.pk}/meals/", {"diet": "vegan"}).status_code == 404
    response = client.post(
        f"/api/care/plans/{upcoming.pk}/meals", {"diet": "vegan"}, content_type="application/json"
    )
    assert response.status_code == 404 and not ServiceBooking.objects.exists()


# Plan versions: bookings belong to the plan, whichever version they were made on ------------


def _amend(plan, doctor, *, shift_days: int):
    """Amend the plan to arrive and leave `shift_days` later; return the version in force."""
    from celltrace.catalog.models import CellProduct
    from celltrace.plans.actions import amend_plan
    from testkit import PASSWORD
    from testkit.journey import plan_request

    admission = plan.admission_date + dt.timedelta(days=shift_days)
    dose = plan.products.get()
    values = {
        "weight_kg": plan.weight_kg,
        "admission_date": admission,
        "discharge_date": plan.discharge_date + dt.timedelta(days=shift_days),
        "products": [
            {
                "product": CellProduct.objects.get(pk=dose.product_id),
                "route": dose.route,
                "dose_per_kg": dose.dose_per_kg,
                "day_of_stay": dose.day_of_stay,
            }
        ],
    }
    return amend_plan(
        plan, doctor, plan_request(values), reason="Flights moved.", password=PASSWORD
    )


def test_nothing_is_booked_on_an_old_version_or_a_cancelled_plan(
    upcoming, coordinator, doctor, client_for
):
    from celltrace.plans.actions import cancel_plan

    new = _amend(upcoming, doctor, shift_days=1)
    upcoming.refresh_from_db()
    assert _refused(actions.book_meals, upcoming, coordinator, diet="vegan").code == (
        "plan_superseded"
    )
    response = client_for(coordinator).post(
        f"/api/care/plans/{upcoming.pk}/meals", {"diet": "vegan"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "plan_superseded"
    cancel_plan(new, coordinator, reason="The patient withdrew.")
    new.refresh_from_db()
    assert _refused(actions.book_interpreter, new, coordinator).code == "plan_cancelled"
    assert not ServiceBooking.objects.exists()


def test_bookings_made_before_an_amendment_follow_the_new_version(
    upcoming, coordinator, doctor, client_for
):
    interpreter = actions.book_interpreter(upcoming, coordinator)
    new = _amend(upcoming, doctor, shift_days=-8)  # now arrives in two days
    client = client_for(coordinator)

    # The new version's page and the API list the booking; a second one is refused.
    assert "Interpreter (Greek)" in client.get(new.get_absolute_url()).content.decode()
    listed = client.get(f"/api/care/plans/{new.pk}/bookings").json()
    assert [b["id"] for b in listed] == [interpreter.pk]
    assert _refused(actions.book_interpreter, new, coordinator).code == "already_booked"

    # Upcoming services follow the new dates: the interpreter is due on the new admission day.
    upcoming_list = client.get("/api/care/services/upcoming").json()
    assert [(u["day"], u["booking"]["id"]) for u in upcoming_list] == [
        (new.admission_date.isoformat(), interpreter.pk)
    ]

    # A transfer is judged against the version in force.
    arrival = _arrival(new)
    booked = actions.book_transfer(new, coordinator, **arrival)
    assert booked.plan == new

    # The coordinator's arrivals count the old version's interpreter as booked.
    arrivals = _arrivals_row(client, new)
    assert "Interpreter (Greek)" in arrivals and "No interpreter" not in arrivals


def _arrivals_row(client, plan) -> str:
    page = client.get("/dashboard/").content.decode()
    section = page.split("<h2>Arrivals in the next", 1)[1].split("<h2>", 1)[0]
    return section.split(plan.patient.code, 1)[1].split("</tr>", 1)[0]


def test_a_cancelled_plans_bookings_are_marked_and_not_coming_up(upcoming, coordinator, client_for):
    from celltrace.care.queries import upcoming_bookings
    from celltrace.plans.actions import cancel_plan

    actions.book_interpreter(upcoming, coordinator)
    actions.book_transfer(upcoming, coordinator, **_arrival(upcoming))
    assert len(upcoming_bookings(coordinator)) == 2
    cancel_plan(upcoming, coordinator, reason="The patient withdrew.")

    assert upcoming_bookings(coordinator) == []
    client = client_for(coordinator)
    assert client.get("/api/care/services/upcoming").json() == []
    assert "Interpreter (Greek)" not in client.get("/care/services/").content.decode()
    plan_page = client.get(upcoming.get_absolute_url()).content.decode()
    assert plan_page.count("plan cancelled") == 2
