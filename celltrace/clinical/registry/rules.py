"""The report's rules, checked on the finished report before anyone sees it.

REPORT.md: a cell with n below the small-cell threshold shows counts only (no mean,
median, IQR, range, CI or percentage); a proportion always comes with its k and n; the
word "significant" appears nowhere. The check walks the whole report, whichever section
wrote the cell, and raises on the first breach with the path of the cell.

The rules themselves (the small-cell threshold, the completeness flag, the design line and
the fixed limitations) are constants here, not plan data: an analysis plan may be stricter
(a larger small cell, a higher flag, more limitations) but can never switch a rule off
(`plan.load_plan` refuses it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from celltrace.clinical.registry.plan import AnalysisPlan

# REPORT.md "Rules": below this n a cell shows counts only; a plan may only raise it.
SMALL_CELL = 10
# CIBMTR excludes centres under 90 % one-year follow-up; a plan may only raise the flag.
COMPLETENESS_FLAG = 0.9
DESIGN = "Uncontrolled treatment registry (case series), not a controlled trial"
# REPORT.md section 10, the fixed block: every plan's limitations hold these, word for word.
LIMITATIONS = (
    "This is an uncontrolled treatment registry (case series), not a controlled trial: "
    "there is no control group.",
    "Changes from baseline may reflect natural recovery, regression to the mean, placebo "
    "response, or rehabilitation and other concurrent treatment.",
    "These figures describe the patients treated so far; they do not predict any one "
    "patient's result.",
)

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
    if "design" in report:  # a whole report: its header and limitations too
        _check_header(report)
    _check(report, "report", max(plan.small_cell, SMALL_CELL))


def _check_header(report: dict) -> None:
    if report["design"] != DESIGN:
        raise ReportRuleBroken(f"report.design: the design line must read {DESIGN!r}.")
    missing = [text for text in LIMITATIONS if text not in report.get("limitations", ())]
    if missing:
        raise ReportRuleBroken(
            f"report.limitations: the fixed limitation {missing[0]!r} is missing."
        )


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
