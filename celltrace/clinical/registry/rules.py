"""The report's rules, checked on the finished report before anyone sees it.

REPORT.md: a cell with n below the small-cell threshold shows counts only (no mean,
median, IQR, range, CI or percentage); a proportion always comes with its k and n; the
word "significant" appears nowhere. The check walks the whole report, whichever section
wrote the cell, and raises on the first breach with the path of the cell.
"""

from __future__ import annotations

from celltrace.clinical.registry.plan import AnalysisPlan

# The estimates a small cell must not show; any key holding "ci95" is one too.
ESTIMATES = frozenset(
    {"mean", "mean_change", "median", "median_change", "iqr", "range", "completeness",
     "proportion", "percentage", "survival"}
)  # fmt: skip
# The count a cell's estimates rest on, the first present: patients, due, at risk.
DENOMINATORS = ("n", "due", "at_risk")
# A proportion's value and the counts it must be shown with.
PROPORTIONS = {
    "completeness": ("assessed", "due"),
    "proportion": ("k", "n"),
    "percentage": ("k", "n"),
}
FORBIDDEN_WORD = "significant"


class ReportRuleBroken(ValueError):
    """The report breaks one of its rules; the message names the cell."""


def check_report(report: dict, plan: AnalysisPlan) -> None:
    """Raise ReportRuleBroken at the first cell that breaks a rule of the report."""
    _check(report, "report", plan.small_cell)


def _check(value, path: str, small_cell: int) -> None:
    if isinstance(value, str):
        if FORBIDDEN_WORD in value.lower():
            raise ReportRuleBroken(f"{path}: the word {FORBIDDEN_WORD!r} is not to be used.")
    elif isinstance(value, dict):
        _check_cell(value, path, small_cell)
        for key, item in value.items():
            _check(key, f"{path} (key)", small_cell)
            _check(item, f"{path}.{key}", small_cell)
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            if isinstance(item, str | dict | list | tuple):  # numbers break no rule alone
                _check(item, f"{path}[{number}]", small_cell)


def _check_cell(cell: dict, path: str, small_cell: int) -> None:
    if "k" in cell and "n" not in cell:
        raise ReportRuleBroken(f"{path}: a proportion is given with its n as well as its k.")
    for key, counts in PROPORTIONS.items():
        if cell.get(key) is not None and not all(c in cell for c in counts):
            raise ReportRuleBroken(f"{path}: {key} is given without {' and '.join(counts)}.")
    n = next((cell[k] for k in DENOMINATORS if isinstance(cell.get(k), int)), None)
    if n is None or n >= small_cell:
        return
    for key, item in cell.items():
        if item is not None and (key in ESTIMATES or "ci95" in key):
            raise ReportRuleBroken(
                f"{path}: {key} is shown for n = {n}, below the small-cell threshold of "
                f"{small_cell}: counts only."
            )
