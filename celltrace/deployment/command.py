"""`celltrace setup`: a deployment's first run, and every run after it, safely.

It takes its answers from the flags, asks for what is missing (or, with --no-input, names
every missing flag and stops), checks them all, refuses a site or user that exists already,
and only then migrates the database, loads the starting catalog and rule set where they are
missing, and creates the first site and administrator. Run again, it migrates and keeps
everything there is.
"""

import getpass
import os
import sys
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django.utils.text import slugify

from celltrace.deployment import first_run
from celltrace.deployment.arguments import PASSWORD_VARIABLE
from celltrace.deployment.first_run import FirstAdmin, FirstSite, Installed
from celltrace.refusal import Refused

SITE_QUESTIONS = (  # the Site field, its flag, its prompt; in the order they are asked
    ("name", "--site-name", "Site name"),
    ("code", "--site-code", "Site code"),
    ("country", "--country", "Country"),
    ("time_zone", "--time-zone", "Time zone"),
    ("currency", "--currency", "Currency (ISO 4217)"),
)
NO_ANSWERS = (
    "setup needs answers: run it in a terminal, or pass --no-input and the flags "
    "(celltrace setup --help)"
)


def run(args, *, ask=input, ask_secret=getpass.getpass, out=sys.stdout, environ=os.environ):
    """Set the deployment up; raise Refused, with nothing changed, on any bad answer."""
    answers = _Answers(args, ask=ask, ask_secret=ask_secret, out=out, environ=environ)
    try:
        present = first_run.installed()
        site = answers.site() if _wants_site(args, present) else None
        admin = answers.admin() if _wants_admin(args, present) else None
        answers.stop_if_missing()
        first_run.check_not_taken(site, admin)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # the cache all app servers share
        first_run.create_first_site_and_admin(site, admin)
    except OperationalError as error:
        problem = str(error).strip().splitlines()[0]
        raise Refused(
            f"cannot use the database: {problem}", code="database", params={"problem": problem}
        ) from None
    _print_summary(out, site, admin, first_run.installed())
    return 0


def _attribute(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def _wants_site(args, present: Installed) -> bool:
    flags = [flag for _, flag, _ in SITE_QUESTIONS] + ["--isbt-fin"]
    given = any(getattr(args, _attribute(flag)) is not None for flag in flags)
    return given or not present.site_codes


def _wants_admin(args, present: Installed) -> bool:
    given = args.admin_username is not None or args.admin_email is not None
    return given or not present.admin_usernames


class _Answers:
    """The answers: a flag's value, else the user's (asked again until valid), else missing."""

    def __init__(self, args, *, ask, ask_secret, out, environ):
        self.args, self.out, self.environ = args, out, environ
        self.ask = None if args.no_input else ask
        self.ask_secret = ask_secret
        self.missing: list[str] = []

    def site(self) -> FirstSite | None:
        values: dict[str, str | None] = {}
        for field, flag, prompt in SITE_QUESTIONS:
            values[field] = self._value(
                flag,
                getattr(self.args, _attribute(flag)),
                prompt,
                partial(first_run.clean_site_field, field),
                default=self._site_default(field, values),
                derived=field == "code" and values["name"] is None,  # only the name is missing
            )
        public = self._public_requests()
        fin = self._isbt_fin()
        return (
            None
            if None in values.values()
            else FirstSite(**values, receives_public_requests=public, isbt_fin=fin)
        )

    def _isbt_fin(self) -> str:
        """The FIN from --isbt-fin, checked; none given is none set (not asked: optional)."""
        if self.args.isbt_fin is None:
            return ""
        return self._value(
            "--isbt-fin", self.args.isbt_fin, "", partial(first_run.clean_site_field, "isbt_fin")
        )

    def _site_default(self, field: str, values: dict) -> str | None:
        if field == "code":
            return slugify(values["name"] or "")[:20] or None
        if field == "time_zone" and self.ask is not None:
            return settings.TIME_ZONE
        return None

    def admin(self) -> FirstAdmin | None:
        args = self.args
        username = self._value(
            "--admin-username", args.admin_username, "Administrator's user name",
            first_run.clean_username,
        )  # fmt: skip
        email = self._value(
            "--admin-email", args.admin_email, "Administrator's e-mail", first_run.clean_email
        )
        password = self._password(username, email)
        if None in (username, email, password):
            return None
        return FirstAdmin(username, email, password)

    def stop_if_missing(self) -> None:
        if self.missing:
            raise Refused(
                f"setup --no-input needs {', '.join(self.missing)} "
                "(or run it without --no-input to be asked)",
                code="missing_answers",
                params={"missing": ", ".join(self.missing)},
            )

    def _value(
        self, flag: str, given, prompt: str, clean: Callable, *, default=None, derived=False
    ):
        if given is not None:
            try:
                return clean(given)
            except ValidationError as error:
                raise Refused(
                    f"{flag} {given!r}: {' '.join(error.messages)}",
                    code="invalid",
                    params={"flag": flag},
                ) from None
        if self.ask is None:
            if default is not None:
                return clean(default)
            if not derived:
                self.missing.append(flag)
            return None
        while True:
            answer = self._ask(f"{prompt}{f' [{default}]' if default else ''}: ").strip()
            try:
                return clean(answer or default or "")
            except ValidationError as error:
                print(" ".join(error.messages), file=self.out)

    def _public_requests(self) -> bool:
        if self.args.public_requests is not None:
            return self.args.public_requests
        if self.ask is None:
            return True
        while True:
            answer = self._ask("Does this site take the public consultation requests? [Y/n]: ")
            if answer.strip().lower() in ("", "y", "yes"):
                return True
            if answer.strip().lower() in ("n", "no"):
                return False

    def _password(self, username: str | None, email: str | None) -> str | None:
        password = self.environ.get(PASSWORD_VARIABLE)
        if password is None and self.ask is None:
            self.missing.append(f"${PASSWORD_VARIABLE}")
            return None
        if password is not None:
            try:
                first_run.check_password(password, username=username or "", email=email or "")
            except ValidationError as error:
                raise Refused(
                    f"${PASSWORD_VARIABLE}: {' '.join(error.messages)}", code="weak_password"
                ) from None
            return password
        while True:
            password = self._ask("Administrator's password: ", secret=True)
            if self._ask("The same password again: ", secret=True) != password:
                print("The two passwords differ; again.", file=self.out)
                continue
            try:
                first_run.check_password(password, username=username, email=email)
                return password
            except ValidationError as error:
                print(" ".join(error.messages), file=self.out)

    def _ask(self, prompt: str, *, secret: bool = False) -> str:
        try:
            return (self.ask_secret if secret else self.ask)(prompt)
        except EOFError:
            raise Refused(NO_ANSWERS, code="no_answers") from None


def _print_summary(out, site: FirstSite | None, admin: FirstAdmin | None, now: Installed) -> None:
    print("celltrace is set up: the database is migrated.", file=out)
    if site:
        takes = "takes" if site.receives_public_requests else "does not take"
        print(
            f"  Site: {site.name} ({site.code}), {site.country}, {site.time_zone}, "
            f"{site.currency}; {takes} public consultation requests",
            file=out,
        )
        fin = site.isbt_fin or "none yet"
        print(f"  ISBT 128 Facility Identification Number (FIN): {fin}", file=out)
    else:
        print(f"  Sites kept as they were: {', '.join(now.site_codes)}", file=out)
    if admin:
        print(f"  Administrator: {admin.username} <{admin.email}>", file=out)
    else:
        print(f"  Administrators kept as they were: {', '.join(now.admin_usernames)}", file=out)
    print(_next_steps(site, admin, now), file=out)


def _next_steps(site: FirstSite | None, admin: FirstAdmin | None, now: Installed) -> str:
    who = admin.username if admin else "an administrator"
    steps = [
        "celltrace serve --host 127.0.0.1 --port 8000, behind the clinic's HTTPS reverse proxy "
        '(README, "Running a clinic").',
        f"Sign in at /login/ as {who}: the dashboard, and Administration at /admin/.",
        "Add the staff in Administration > Users, each with a role and a site.",
        "The public consultation request form is at /intake/request/.",
        'Back up the database and the uploads folder every day (README, "Backups").',
    ]
    if not now.public_site_codes:
        steps.append(
            "No site takes public consultation requests, so the form refuses them all: tick "
            "'receives public requests' on one in Administration > Sites."
        )
    if site and not site.isbt_fin:
        steps.append(
            "Set the site's ISBT 128 FIN in Administration > Sites (or rerun with --isbt-fin "
            "for a new site): the lab labels no lot without it."
        )
    if site and site.time_zone != settings.TIME_ZONE:
        steps.append(
            f"Set CELLTRACE_TIME_ZONE={site.time_zone} so times show in the clinic's time "
            f"(now {settings.TIME_ZONE})."
        )
    lines = ["Next:", *(f"  {number}. {step}" for number, step in enumerate(steps, start=1))]
    return "\n".join(lines)
