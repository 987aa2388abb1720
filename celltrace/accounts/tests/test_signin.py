"""Signing in: throttled passwords, the staff's second factor, session clocks, passwords."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from testkit import PASSWORD
from testkit.signin import authenticator, sign_in, totp_code

pytestmark = pytest.mark.django_db


def _password(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


# Throttling --------------------------------------------------------------------------------


def test_twelve_wrong_passwords_pause_the_account_even_for_the_right_one(client, doctor):
    for _ in range(11):
        assert _password(client, doctor.username, "wrong password!").status_code == 200
    locked = _password(client, doctor.username, "wrong password!")
    assert locked.status_code == 429

    right = _password(client, doctor.username, PASSWORD)

    assert right.status_code == 429
    assert "Sign-in paused" in right.content.decode()
    assert "paused for 15 minutes" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pause_lifts_by_itself_after_the_cool_off(client, doctor):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(12):
            _password(client, doctor.username, "wrong password!")
        assert _password(client, doctor.username, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert _password(client, doctor.username, PASSWORD).status_code == 302


def test_the_pause_counts_per_account_from_any_address(client, doctor):
    for n in range(12):
        _password(client, doctor.username, "wrong password!", REMOTE_ADDR=f"198.51.100.{n}")
    assert _password(client, doctor.username, PASSWORD, REMOTE_ADDR="192.0.2.9").status_code == 429


def test_the_pause_counts_per_address_across_accounts(client, doctor, nurse):
    for n in range(12):
        _password(client, f"guess-{n}", "wrong password!", REMOTE_ADDR="203.0.113.7")
    from_there = _password(client, nurse.username, PASSWORD, REMOTE_ADDR="203.0.113.7")
    from_elsewhere = _password(client, nurse.username, PASSWORD, REMOTE_ADDR="192.0.2.9")
    assert (from_there.status_code, from_elsewhere.status_code) == (429, 302)


def test_a_right_password_before_the_limit_starts_the_count_again(client, doctor):
    for _ in range(11):
        _password(client, doctor.username, "wrong password!")
    assert _password(client, doctor.username, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(11):
        _password(client, doctor.username, "wrong password!")
    assert _password(client, doctor.username, PASSWORD).status_code == 302


def test_an_administrator_lifts_the_pause_with_the_axes_command(client, doctor):
    for _ in range(12):
        _password(client, doctor.username, "wrong password!")
    assert AccessAttempt.objects.filter(username=doctor.username).exists()

    call_command("axes_reset_username", doctor.username, verbosity=0)

    assert _password(client, doctor.username, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_limit_is_a_setting(client, doctor):
    for _ in range(3):
        _password(client, doctor.username, "wrong password!")
    assert _password(client, doctor.username, PASSWORD).status_code == 429


# Second factor ------------------------------------------------------------------------------

STAFF_PAGES = ["/dashboard/", "/patients/", "/lab/lots/", "/admin/"]


@pytest.mark.parametrize(
    "fixture", ["advisor", "doctor", "lab_technician", "quality_reviewer", "nurse",
                "coordinator", "manager", "admin_user"],
)  # fmt: skip
def test_staff_without_the_second_factor_open_no_page_and_no_api(request, client, fixture):
    user = request.getfixturevalue(fixture)
    sign_in(client, user, second_factor=False)

    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/account/second-factor/?next="), page
    api = client.get("/api/lab/lots")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert client.get("/api/docs").status_code == 302


def test_the_password_alone_leads_to_enrolment_then_the_code_opens_every_page(client, doctor):
    assert _password(client, doctor.username, PASSWORD)["Location"] == "/dashboard/"
    sent = client.get("/dashboard/")
    assert sent["Location"] == "/account/second-factor/?next=%2Fdashboard%2F"
    enrol = client.get(sent["Location"], follow=True)
    assert enrol.redirect_chain[-1][0].startswith("/account/second-factor/enrol/")
    page = enrol.content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=doctor, confirmed=False)

    wrong = client.post(enrol.redirect_chain[-1][0], {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/dashboard/").status_code == 302

    with time_machine.travel(dt.timedelta(seconds=2)):  # past the wait after a wrong code
        done = client.post(enrol.redirect_chain[-1][0], {"code": totp_code(device)})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=doctor).confirmed
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/lab/lots").status_code == 200


def test_a_valid_code_from_the_enrolled_app_opens_the_staff_pages(client, nurse):
    device = authenticator(nurse)
    _password(client, nurse.username, PASSWORD)
    assert client.get("/api/stays/").status_code in (403, 404)

    wrong = client.post("/account/second-factor/?next=/patients/", {"code": "123456"})
    assert wrong.status_code == 200 and client.get("/patients/").status_code == 302
    too_soon = client.post("/account/second-factor/?next=/patients/", {"code": totp_code(device)})
    assert "Too many wrong codes in a row (1)" in too_soon.content.decode()
    with time_machine.travel(dt.timedelta(seconds=2)):
        right = client.post("/account/second-factor/?next=/patients/", {"code": totp_code(device)})

    assert right["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200
    assert client.get("/api/lab/lots").status_code == 200


def test_a_code_works_once(client, nurse):
    device = authenticator(nurse)
    code = totp_code(device)
    _password(client, nurse.username, PASSWORD)
    assert client.post("/account/second-factor/", {"code": code}).status_code == 302
    client.post("/logout/")

    _password(client, nurse.username, PASSWORD)
    again = client.post("/account/second-factor/", {"code": code})

    assert again.status_code == 200 and "already used" in again.content.decode()


def test_a_recovery_code_works_once(client, doctor):
    authenticator(doctor)
    sign_in(client, doctor)
    shown = client.post("/account/second-factor/recovery-codes/")
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", shown.content.decode())
    assert len(codes) == 10
    client.post("/logout/")

    _password(client, doctor.username, PASSWORD)
    used = client.post("/account/second-factor/", {"code": codes[0]}, follow=True)
    assert used.status_code == 200 and "recovery code; 9 left" in used.content.decode()
    client.post("/logout/")

    _password(client, doctor.username, PASSWORD)
    again = client.post("/account/second-factor/", {"code": codes[0]})
    assert again.status_code == 200 and client.get("/dashboard/").status_code == 302
    assert StaticToken.objects.filter(device__user=doctor).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, doctor):
    sign_in(client, doctor)
    first = client.post("/account/second-factor/recovery-codes/").content.decode()
    second = client.post("/account/second-factor/recovery-codes/").content.decode()
    old = re.findall(r"<li><code>([a-z0-9]+)</code></li>", first)
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", second)
    tokens = set(StaticToken.objects.filter(device__user=doctor).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)


def test_patients_sign_in_to_the_portal_with_their_password_alone(client, site):
    from celltrace.accounts.models import Role, User

    User.objects.create_user("portal", password=PASSWORD, role=Role.PATIENT, site=site)
    _password(client, "portal", PASSWORD)
    # A patient's dashboard is the portal's home (docs/portal.md).
    assert client.get("/dashboard/")["Location"] == "/portal/"


def test_the_next_address_after_the_code_stays_on_this_site(client, nurse):
    device = authenticator(nurse)
    _password(client, nurse.username, PASSWORD)
    answer = client.post(
        "/account/second-factor/?next=https://evil.example/", {"code": totp_code(device)}
    )
    assert answer["Location"] == "/dashboard/"


# Session clocks -----------------------------------------------------------------------------

NINE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_staff_session_ends_after_fifteen_idle_minutes(client, doctor):
    with time_machine.travel(NINE, tick=False) as clock:
        sign_in(client, doctor)
        assert client.get("/dashboard/").status_code == 200
        clock.shift(dt.timedelta(minutes=14))
        assert client.get("/dashboard/").status_code == 200
        clock.shift(dt.timedelta(minutes=14))
        assert client.get("/dashboard/").status_code == 200  # 14 minutes since the last one
        clock.shift(dt.timedelta(minutes=16))

        ended = client.get("/patients/")

        assert ended.status_code == 302 and ended["Location"] == "/login/?next=/patients/"
        assert "_auth_user_id" not in client.session
        assert "after 15 minutes without activity" in client.get(ended["Location"]).content.decode()


def test_an_idle_api_session_answers_401(client, doctor):
    with time_machine.travel(NINE, tick=False) as clock:
        sign_in(client, doctor)
        assert client.get("/api/lab/lots").status_code == 200
        clock.shift(dt.timedelta(minutes=16))
        answer = client.get("/api/lab/lots")
    assert answer.status_code == 401 and "without activity" in answer.json()["detail"]


def test_a_staff_session_ends_twelve_hours_after_signing_in_however_busy(client, doctor):
    with time_machine.travel(NINE, tick=False) as clock:
        sign_in(client, doctor)
        for _ in range(12 * 6 - 1):  # a request every 10 minutes, for 11 hours 50 minutes
            clock.shift(dt.timedelta(minutes=10))
            assert client.get("/dashboard/").status_code == 200
        clock.shift(dt.timedelta(minutes=11))
        assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_a_patient_session_keeps_the_portal_open_for_an_hour_idle(client, site):
    from celltrace.accounts.models import Role, User

    patient = User.objects.create_user("portal", password=PASSWORD, role=Role.PATIENT, site=site)
    with time_machine.travel(NINE, tick=False) as clock:
        sign_in(client, patient)
        assert client.get("/account/").status_code == 200
        clock.shift(dt.timedelta(minutes=59))
        assert client.get("/account/").status_code == 200
        clock.shift(dt.timedelta(minutes=61))
        assert client.get("/dashboard/")["Location"].startswith("/login/")


@override_settings(SIGNIN_STAFF_IDLE=dt.timedelta(minutes=5))
def test_the_idle_limit_is_a_setting(client, doctor):
    with time_machine.travel(NINE, tick=False) as clock:
        sign_in(client, doctor)
        assert client.get("/dashboard/").status_code == 200
        clock.shift(dt.timedelta(minutes=6))
        assert client.get("/dashboard/")["Location"].startswith("/login/")


# Passwords ----------------------------------------------------------------------------------


def test_a_password_shorter_than_twelve_characters_is_refused(client, doctor):
    sign_in(client, doctor)
    answer = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Xk7#qpL2v!", "new_password2": "Xk7#qpL2v!"},
    )
    assert answer.status_code == 200 and "at least 12 characters" in answer.content.decode()
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)


def test_staff_change_their_password_and_stay_signed_in(client, doctor):
    sign_in(client, doctor)
    new = "a fresh passphrase for Dan"
    answer = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert answer["Location"] == "/account/password/done/"
    doctor.refresh_from_db()
    assert doctor.check_password(new)
    assert client.get("/dashboard/").status_code == 200


def test_a_reset_link_by_e_mail_sets_a_new_password_once(client, doctor):
    doctor.email = "dan@example.org"
    doctor.save()

    sent = client.post("/account/password/reset/", {"email": "dan@example.org"})

    assert sent["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.org"]
    assert mail.outbox[0].subject == "celltrace: reset your password"
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    new = "a fresh passphrase for Dan"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/account/password/reset/complete/"
    doctor.refresh_from_db()
    assert doctor.check_password(new)
    reused = client.get(link.group(1), follow=True)
    assert "This link no longer works" in reused.content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, doctor):
    sent = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert sent["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []
