"""The flags of `celltrace setup`; argparse only, so the parser is built before Django starts."""

import argparse

PASSWORD_VARIABLE = "CELLTRACE_ADMIN_PASSWORD"  # noqa: S105 - its name, not a password


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-input",
        action="store_true",
        help=f"ask nothing: answers from the flags, the password from ${PASSWORD_VARIABLE}",
    )
    site = parser.add_argument_group("the first site (when there is none yet)")
    site.add_argument("--site-code", help="short name, e.g. lisbon (default: from the name)")
    site.add_argument("--site-name", help='e.g. "Lisbon clinic"')
    site.add_argument("--country", help="e.g. Portugal")
    site.add_argument("--time-zone", help="e.g. Europe/Lisbon")
    site.add_argument("--currency", help="ISO 4217 code, e.g. EUR")
    site.add_argument(
        "--public-requests",
        action=argparse.BooleanOptionalAction,
        help="whether the site takes the public consultation requests (default: yes)",
    )
    site.add_argument(
        "--isbt-fin",
        help="the ISBT 128 Facility Identification Number ICCBBA assigned to the site's lab, "
        "e.g. G1234 (optional: the lab makes no lot until it is set)",
    )
    admin = parser.add_argument_group("the first administrator (when there is none yet)")
    admin.add_argument("--admin-username", help="e.g. ada")
    admin.add_argument("--admin-email", help="e.g. ada@clinic.example")
