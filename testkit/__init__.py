"""Builders and sample data for celltrace's tests; not part of the installed package."""

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only
