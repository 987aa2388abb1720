"""The cumulative statistical report of a registry: framework-free, from plain records.

inputs.py holds what the report is computed from (read from the database by
celltrace/outcomes), plan.py the locked analysis plan that says what is reported and how.
docs/clinical/outcome-report.md describes the report, its rules and its sources.
"""
