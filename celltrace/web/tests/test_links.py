"""No page shows a link its reader's role cannot open.

Each role starts at its dashboard and follows every internal link and htmx load the pages
show; none may answer 403. The links are decided by `may_open`, from the views' own roles.
"""

from urllib.parse import urldefrag

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch

from celltrace.accounts.models import Role
from celltrace.web.links import may_open
from celltrace.web.tests.test_role_matrix import _user_for, world  # noqa: F401 - a fixture
from testkit.pages import attribute_values
from testkit.signin import sign_in

# Pages that are not celltrace's own screens: opened, never read for more links.
_NOT_WALKED = ("/admin/", "/static/", "/api/")


def _internal_links(html: str) -> list[str]:
    found = attribute_values(html, {"a": ("href",), "*": ("hx-get",)})
    paths = (urldefrag(link).url for link in found)
    return [p for p in paths if p.startswith("/") and not p.startswith("//")]


def _walk(client, start="/dashboard/"):
    """Open every page reachable through shown links; return {path: (status, linked from)}."""
    seen = {}
    waiting = [(start, "start")]
    while waiting:
        path, source = waiting.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = (response.status_code, source)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 302 and response["Location"].startswith("/portal/"):
            waiting.append((response["Location"], path))  # a patient's dashboard is the portal
        if response.status_code == 200 and html and not path.startswith(_NOT_WALKED):
            waiting += [(link, path) for link in _internal_links(response.content.decode())]
    return seen


@pytest.mark.parametrize("role", Role.values)
def test_no_link_shown_to_a_role_leads_to_a_refusal(role, world, site, client):  # noqa: F811
    sign_in(client, _user_for(role, world, site))
    seen = _walk(client)
    refused = [f"{path} (linked from {source})" for path, (status, source) in seen.items()
               if status == 403]  # fmt: skip
    assert refused == []
    assert len(seen) >= 3  # the walk went past the dashboard
    patient = world["ids"]["patient_id"]
    # A patient's own record is the portal, in plain words; staff open the patient page.
    assert ("/portal/documents/" if role == Role.PATIENT else f"/patients/{patient}/") in seen


def test_may_open_answers_from_the_views_own_roles(doctor, nurse, advisor, admin_user):
    assert may_open(doctor, "plans:new") and not may_open(nurse, "plans:new")
    assert may_open(nurse, "stays:administer") and not may_open(doctor, "stays:administer")
    assert may_open(advisor, "/intake/") and not may_open(nurse, "/intake/3/")
    assert may_open(nurse, "intake:public_request")  # a public page
    assert may_open(admin_user, "admin:index") and not may_open(doctor, "admin:index")
    assert not may_open(doctor, "/no/such/page/")


def test_an_unknown_url_name_is_an_error_not_a_hidden_link(doctor):
    with pytest.raises(NoReverseMatch):
        may_open(doctor, "plans:no_such_view")


def test_the_template_filter_asks_the_same_question(doctor, nurse):
    template = Template('{% load links %}{% if user|may_open:"plans:new" %}yes{% endif %}')
    assert template.render(Context({"user": doctor})) == "yes"
    assert template.render(Context({"user": nurse})) == ""
