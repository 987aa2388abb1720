"""Lists a page at a time: every row once, in a stable order, with links that keep filters."""

import re

import pytest

from celltrace.pages import Rows, in_stable_order
from celltrace.patients.models import Patient
from testkit.journey import make_patient


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("celltrace.pages.PAGE_SIZE", 3)


@pytest.fixture
def namesakes(catalog, site, other_site):
    """Seven patients at the site, four of them of one name; one patient elsewhere."""
    make_patient(other_site, full_name="Ana Elsewhere")
    return [
        make_patient(site, full_name=name)
        for name in ["Ana Lima"] * 4 + ["Bruno Costa", "Carla Dias", "Ana Zur"]
    ]


def _codes(response) -> list[str]:
    return re.findall(r"<td>(PT-\d+)</td>", response.content.decode())


def test_a_list_longer_than_a_page_shows_a_page_and_a_link_to_the_next(
    small_pages, namesakes, client_for, doctor
):
    client = client_for(doctor)
    first = client.get("/patients/", {"q": "a"})
    page = first.content.decode()
    assert len(_codes(first)) == 3
    assert "Page 1 of 3, 7 in all" in page
    assert 'href="?q=a&amp;page=2" rel="next"' in page
    assert 'rel="prev"' not in page


def test_following_the_links_lists_every_row_once_in_a_stable_order(
    small_pages, namesakes, client_for, doctor
):
    client = client_for(doctor)
    listed = [code for n in (1, 2, 3) for code in _codes(client.get("/patients/", {"page": n}))]
    # By name, and namesakes by their record's number: no row twice, none left out.
    expected = sorted(namesakes, key=lambda p: (p.full_name, p.pk))
    assert listed == [p.code for p in expected]


def test_a_page_past_the_end_shows_the_last_and_a_wrong_page_the_first(
    small_pages, namesakes, client_for, doctor
):
    client = client_for(doctor)
    last = client.get("/patients/", {"page": 3})
    assert client.get("/patients/", {"page": 99}).context["page"].number == 3
    assert _codes(client.get("/patients/", {"page": 99})) == _codes(last)
    assert client.get("/patients/", {"page": "x"}).context["page"].number == 1
    assert 'rel="next"' not in last.content.decode()


def test_a_list_ordered_by_a_column_that_ties_is_ordered_by_its_key_after_it(db):
    by_name = in_stable_order(Patient.objects.order_by("full_name"))
    assert by_name.query.order_by == ("full_name", "pk")
    by_default = in_stable_order(Patient.objects.all())  # Meta.ordering: full_name
    assert by_default.query.order_by == ("full_name", "pk")
    already = Patient.objects.order_by("-pk")
    assert in_stable_order(already).query.order_by == ("-pk",)


def test_rows_read_only_the_asked_slice(namesakes, django_assert_num_queries):
    rows = Rows(Patient.objects.filter(full_name="Ana Lima"), lambda p: p.code)
    with django_assert_num_queries(2):  # the count, and the two rows
        assert rows.count() == 4
        assert rows[1:3] == [p.code for p in namesakes[1:3]]
