"""`celltrace setup` asks for what is missing, or with --no-input names it, and is safe to rerun."""

import argparse
import io

import pytest

from celltrace.accounts.models import Role, Site, User
from celltrace.deployment import arguments, command
from celltrace.refusal import Refused

PASSWORD = "a-long-admin-passphrase-42"
FLAGS = [
    "--site-code", "lisbon", "--site-name", "Lisbon clinic", "--country", "Portugal",
    "--time-zone", "Europe/Lisbon", "--currency", "EUR", "--admin-username", "ada",
    "--admin-email", "ada@example.org",
]  # fmt: skip


def setup(*flags, answers=(), secrets=(), environ=None):
    """Run setup with the flags; answer its questions in turn; return what it printed."""
    parser = argparse.ArgumentParser()
    arguments.add_arguments(parser)
    asked, answers, secrets, out = [], list(answers), list(secrets), io.StringIO()

    def answer(queue):
        def reply(prompt):
            asked.append(prompt)
            if not queue:
                raise EOFError
            return queue.pop(0)

        return reply

    command.run(
        parser.parse_args(list(flags)),
        ask=answer(answers),
        ask_secret=answer(secrets),
        out=out,
        environ={} if environ is None else environ,
    )
    return out.getvalue(), asked


def test_without_input_it_sets_up_from_the_flags(db):
    printed, asked = setup("--no-input", *FLAGS, environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD})

    assert asked == []
    assert Site.objects.get().receives_public_requests
    assert User.objects.get(username="ada").role == Role.ADMIN
    assert "Site: Lisbon clinic (lisbon), Portugal, Europe/Lisbon, EUR" in printed
    assert "Sign in at /login/ as ada" in printed


def test_without_input_it_names_every_missing_answer_and_changes_nothing(db):
    with pytest.raises(Refused) as refused:
        setup("--no-input", "--site-name", "Lisbon clinic")

    assert refused.value.message.startswith(
        "setup --no-input needs --country, --time-zone, --currency, --admin-username, "
        "--admin-email, $CELLTRACE_ADMIN_PASSWORD"
    )
    assert not Site.objects.exists() and not User.objects.exists()


def test_a_bad_flag_is_one_clear_error_and_changes_nothing(db):
    flags = [*FLAGS[:7], "Europe/Lisbn", *FLAGS[8:]]
    with pytest.raises(Refused, match="--time-zone 'Europe/Lisbn': Not a time zone"):
        setup("--no-input", *flags, environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD})
    assert not Site.objects.exists() and not User.objects.exists()


def test_a_weak_password_is_refused_and_changes_nothing(db):
    with pytest.raises(Refused, match=r"^\$CELLTRACE_ADMIN_PASSWORD: .*too short"):
        setup("--no-input", *FLAGS, environ={"CELLTRACE_ADMIN_PASSWORD": "ada"})
    assert not Site.objects.exists() and not User.objects.exists()


def test_it_asks_for_what_is_missing_and_again_after_a_bad_answer(db):
    answers = ["Lisbon clinic", "", "Portugal", "Lisbon", "Europe/Lisbon", "eur", "n",
               "ada", "ada@example.org"]  # fmt: skip
    secrets = [PASSWORD, "typo", PASSWORD, PASSWORD]

    printed, asked = setup(answers=answers, secrets=secrets)

    site = Site.objects.get()
    assert (site.code, site.time_zone, site.currency) == ("lisbon-clinic", "Europe/Lisbon", "EUR")
    assert not site.receives_public_requests
    assert asked.count("Time zone [UTC]: ") == 2
    assert asked.count("Administrator's password: ") == 2
    assert "Not a time zone" in printed and "The two passwords differ" in printed
    assert "No site takes public consultation requests" in printed
    assert "Set CELLTRACE_TIME_ZONE=Europe/Lisbon" in printed


def test_without_a_terminal_it_says_how_to_answer(db):
    with pytest.raises(Refused, match="run it in a terminal, or pass --no-input"):
        setup()
    assert not Site.objects.exists()


def test_running_it_again_keeps_everything(db):
    setup("--no-input", *FLAGS, environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD})

    printed, asked = setup()

    assert asked == []
    assert "Sites kept as they were: lisbon" in printed
    assert "Administrators kept as they were: ada" in printed
    assert Site.objects.count() == 1 and User.objects.count() == 1


def test_running_it_again_with_the_same_flags_refuses_a_second_site(db):
    environ = {"CELLTRACE_ADMIN_PASSWORD": PASSWORD}
    setup("--no-input", *FLAGS, environ=environ)

    with pytest.raises(Refused, match="'lisbon' exists already; nothing was changed"):
        setup("--no-input", *FLAGS, environ=environ)

    assert Site.objects.count() == 1 and User.objects.count() == 1


def test_the_sites_isbt_fin_is_taken_checked_and_upper_cased(db):
    printed, _ = setup(
        "--no-input", *FLAGS, "--isbt-fin", "g1234", environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD}
    )
    assert Site.objects.get().isbt_fin == "G1234"
    assert "ISBT 128 Facility Identification Number (FIN): G1234" in printed
    assert "the lab labels no lot without it" not in printed


def test_without_a_fin_the_site_is_made_and_the_next_steps_say_to_set_it(db):
    printed, _ = setup("--no-input", *FLAGS, environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD})
    assert Site.objects.get().isbt_fin == ""
    assert "FIN): none yet" in printed and "the lab labels no lot without it" in printed


@pytest.mark.parametrize(
    ("fin", "reason"), [("O1234", "never O or 0"), ("G12", "5 characters"), ("GABCD", "digits")]
)
def test_a_malformed_fin_is_one_clear_error_and_changes_nothing(db, fin, reason):
    with pytest.raises(Refused, match=rf"^--isbt-fin '{fin}': .*{reason}"):
        setup(
            "--no-input", *FLAGS, "--isbt-fin", fin, environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD}
        )
    assert not Site.objects.exists() and not User.objects.exists()


def test_a_fin_another_site_has_is_refused_and_changes_nothing(db):
    setup(
        "--no-input", *FLAGS, "--isbt-fin", "G1234", environ={"CELLTRACE_ADMIN_PASSWORD": PASSWORD}
    )
    flags = [
        "--site-code", "porto", "--site-name", "Porto", "--country", "Portugal",
        "--time-zone", "Europe/Lisbon", "--currency", "EUR", "--isbt-fin", "G1234",
    ]  # fmt: skip
    with pytest.raises(Refused, match="FIN G1234 exists already"):
        setup("--no-input", *flags)
    assert list(Site.objects.values_list("code", flat=True)) == ["lisbon"]
