"""Database queries of every page at a clinic of N patients and at ten times N.

Run: .venv/bin/python benchmarks/query_counts.py [--patients 2] [--growth 10] [--show TEXT]
It builds a scratch clinic (testkit.clinic_of_size) on SQLite in a temporary directory, or
on the database CELLTRACE_DATABASE_URL names (a scratch one: it is migrated and written to),
walks every page as celltrace/web/tests/test_query_bounds.py does (testkit.page_walk) and
prints each page's queries at both sizes, the pages whose count grew first. --show prints
the SQL of the pages whose label contains TEXT, at both sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CELLTRACE_DATA_DIR", tempfile.mkdtemp(prefix="celltrace-queries-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "celltrace.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2)
    parser.add_argument("--growth", type=int, default=10)
    parser.add_argument("--show", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's session and templates, as in the tests
    call_command("migrate", verbosity=0)
    # One transaction, as in a test: SQLite writes no file per row (the build is scratch).
    with transaction.atomic():
        counted, failed = _walk(args.patients, args.growth)
        transaction.set_rollback(True)
    large = args.patients * args.growth
    print(f"{'page':<78} {args.patients:>6} {large:>6}  patients")
    for row in sorted(counted, key=lambda row: (row.small == row.large, row.page.label)):
        mark = "" if row.small == row.large else "  grew"
        print(f"{row.page.label:<78} {row.small:>6} {row.large:>6}{mark}")
        if args.show and args.show in row.page.label:
            for size in ("small", "large"):
                print(f"--- {size}")
                print("\n".join(row.sql[size]))
    grew = sum(row.small != row.large for row in counted)
    print(f"{len(counted)} pages, {grew} grew; failed: {failed or 'none'}")


def _walk(patients: int, growth: int):
    from celltrace.accounts.models import Role, Site, User
    from celltrace.deployment.starting import load_starting_policy
    from testkit import PASSWORD
    from testkit.clinic_of_size import Staff
    from testkit.page_walk import query_counts_at_two_sizes

    load_starting_policy()
    site = Site.objects.create(
        code="lisbon", name="Lisbon clinic", country="Portugal", receives_public_requests=True,
        isbt_fin="X9991",
    )  # fmt: skip

    def user(name, role, at=site, **fields):
        return User.objects.create_user(
            username=name, password=PASSWORD, role=role, site=at, **fields
        )

    staff = Staff(*(user(f"q-{role}", role) for role in STAFF_ROLES))
    admin = user("q-admin", Role.ADMIN, None, is_staff=True, is_superuser=True)
    return query_counts_at_two_sizes(site, staff, admin, size=patients, growth=growth)


STAFF_ROLES = ("advisor", "doctor", "nurse", "lab_technician", "quality_reviewer",
               "coordinator", "manager")  # fmt: skip

if __name__ == "__main__":
    main()
