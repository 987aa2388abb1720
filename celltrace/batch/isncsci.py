"""`celltrace isncsci`: classify ISNCSCI exams, one JSON line in, one JSON line out.

Each input line is a bare exam in the reference JSON form, or `{"id": ..., "exam": {...}}`.
Each output line is `{"id", "classification", "totals"}` or `{"id", "error"}`, in input order.
The id is the record's own "id"; a bare exam, a record without an id, or a line that is not
valid JSON gets its 1-based line number instead, so every answer can be traced to its line.
Blank lines are skipped (but still counted). Exit code 0 if every line was classified, else 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from celltrace.clinical.isncsci import ExamError, classify, parse_exam, to_reference_dict

RECORD_KEYS = frozenset(["id", "exam"])
_CHUNK = 1000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "file", nargs="?", default="-", help="JSON lines of exams ('-' or absent: stdin)"
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Classify every exam of the input; return 0 if all lines were classified, else 1."""
    if args.file in (None, "-"):
        return classify_lines(stdin, stdout)
    try:
        with open(args.file, encoding="utf-8") as lines:
            return classify_lines(lines, stdout)
    except OSError as exc:
        print(f"celltrace isncsci: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1


def classify_lines(lines: TextIO, stdout: TextIO) -> int:
    """Answer each non-blank line with one JSON line; return the exit code."""
    failed = False
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        answer, ok = answer_line(line, number)
        failed = failed or not ok
        out.append(answer)
        if len(out) >= _CHUNK:
            stdout.write("\n".join(out) + "\n")
            out.clear()
    if out:
        stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


def answer_line(line: str, number: int) -> tuple[str, bool]:
    """Return the JSON answer to one input line and whether it was classified."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        return _error(number, f"line {number}: invalid JSON: {exc}"), False
    record_id = _record_id(data, number)
    try:
        result = to_reference_dict(classify(parse_exam(_exam_of(data))))
    except ExamError as exc:
        return _error(record_id, f"line {number}: {exc}"), False
    return json.dumps({"id": record_id, **result}, separators=(",", ":")), True


def _is_record(data: Any) -> bool:
    return isinstance(data, dict) and "exam" in data


def _record_id(data: Any, number: int) -> Any:
    """Return the record's own id if it has a usable one, else the line number."""
    if not _is_record(data):
        return number
    record_id = data.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | float):
        return number
    return record_id


def _exam_of(data: Any) -> Any:
    """Return the exam of a record (a bare exam is its own record)."""
    if not _is_record(data):
        return data
    extra = sorted(data.keys() - RECORD_KEYS)
    if extra:
        raise ExamError(extra[0], 'unexpected field (a record has only "id" and "exam")')
    record_id = data.get("id")
    if record_id is not None and (
        isinstance(record_id, bool) or not isinstance(record_id, str | int | float)
    ):
        raise ExamError("id", f"{record_id!r} is not a string or a number")
    return data["exam"]


def _error(record_id: Any, message: str) -> str:
    return json.dumps({"id": record_id, "error": message}, separators=(",", ":"))
