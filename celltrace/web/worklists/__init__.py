"""The dashboards' worklists, one module per role (see celltrace/web/dashboards.py)."""
