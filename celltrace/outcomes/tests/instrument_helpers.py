"""Recording an instrument through each door: the action, the screen and the API."""

import datetime as dt

from django.utils import timezone

from celltrace.outcomes.models import Measurement


def form_url(patient, code) -> str:
    return f"/outcomes/patients/{patient.pk}/instruments/{code}/new/"


def api_url(patient, code) -> str:
    return f"/api/outcomes/patients/{patient.pk}/instruments/{code}"


def post_form(client, patient, code, answers: dict, *, measured_on: dt.date | None = None):
    on = (measured_on or timezone.localdate()).isoformat()
    return client.post(form_url(patient, code), {**answers, "measured_on": on})


def post_api(client, patient, code, answers: dict, *, measured_on: dt.date | None = None):
    body = {"measured_on": (measured_on or timezone.localdate()).isoformat(), "data": answers}
    return client.post(api_url(patient, code), body, content_type="application/json")


def stored(code: str) -> list[tuple[float, str]]:
    return list(Measurement.objects.filter(instrument=code).values_list("value", "category"))


def assert_refused_by_every_door(client, patient, code, answers, field):
    """The screen shows the reason at `field`, the API answers 422 naming it; nothing is saved."""
    page = post_form(client, patient, code, answers)
    assert page.status_code == 200 and 'class="refusal"' in page.content.decode()
    form = page.context["form"]
    assert field in form.errors or form.non_field_errors(), form.errors
    response = post_api(client, patient, code, answers)
    assert response.status_code == 422 and field in response.json()["errors"], response.json()
    assert not Measurement.objects.exists()
