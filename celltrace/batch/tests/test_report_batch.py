"""`celltrace report` as an operator runs it: a real process on the deployment's database."""

import csv
import io
import json
import sqlite3
import urllib.parse

import pytest
from django.db import connection

from celltrace.outcomes.tests.reporting import treat
from celltrace.tests import live

# The process reads committed rows: the test's data must leave its transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def database_url(tmp_path) -> str:
    """A URL the command can open holding this test's database (a copy, for SQLite)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "celltrace.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    s = connection.settings_dict
    user, password = (urllib.parse.quote(s[k] or "", safe="") for k in ("USER", "PASSWORD"))
    return (
        f"postgresql://{user}:{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture
def report(tmp_path, site, other_site, catalog, doctor, nurse, lab_technician, other_site_doctor):
    """Run `celltrace report ...` over one treated MS patient at each of two sites."""
    treat(site, doctor, nurse, lab_technician)
    treat(other_site, other_site_doctor, other_site_doctor, other_site_doctor)
    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        CELLTRACE_DATA_DIR=str(tmp_path / "data"),
        CELLTRACE_DATABASE_URL=database_url(tmp_path),
    )
    return lambda *args: live.celltrace("report", *args, env=env)


def test_the_report_covers_every_site_in_each_format(report, tmp_path):
    out = report("ms", "--format", "json", "--cutoff", "2026-06-30")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["flow"]["treated"], data["cutoff"]) == (2, "2026-06-30")
    assert "Lisbon clinic" in data["data_source"] and "Nicosia clinic" in data["data_source"]

    assert report("ms", "--format", "csv", "--output", str(tmp_path / "r.csv")).returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert {row["patient"] for row in rows} == {"P001", "P002"}

    assert report("ms", "--format", "pdf", "--output", str(tmp_path / "r.pdf")).returncode == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


BAD_ARGUMENTS = [
    (["ms", "--cutoff", "2026-02-30"], "YYYY-MM-DD"),
    (["ms", "--product", "no-such-product"], "no-such-product"),
    (["ms", "--route", "by-mouth"], "route"),
    (["nope"], "no condition has the code 'nope'"),
    (["ms", "--format", "xls"], "invalid choice"),
]


def test_a_bad_argument_exits_2_with_one_clear_line(report):
    for args, says in BAD_ARGUMENTS:
        out = report(*args)
        assert out.returncode == 2 and out.stdout == "", args
        assert says in out.stderr and "Traceback" not in out.stderr, out.stderr
