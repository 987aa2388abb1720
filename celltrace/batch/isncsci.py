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
import json.scanner
import sys
from typing import Any, TextIO

from celltrace.clinical.batching import without_cycle_collection
from celltrace.clinical.isncsci import ExamError
from celltrace.clinical.isncsci.classification import classify_values, reference_dict
from celltrace.clinical.isncsci.exam import read_exam

RECORD_KEYS = frozenset(["id", "exam"])
_BLOCK = 1 << 20  # characters read at a time: about 600 exams
# One encoder for every line: json.dumps() with separators would build a new one per call.
_encode = json.JSONEncoder(separators=(",", ":")).encode
# The decoder's own scanner, called without json.loads()'s checks around it; a line it
# does not read whole goes to json.loads(), which then gives the same value or error.
_scan = json.scanner.make_scanner(json.JSONDecoder())


def _answer_template() -> str:
    """Return the answer line with {0} for the JSON id and {1}..{25} for the results.

    Every result string comes from the Standards' closed vocabulary (segment names, '*',
    ',', INT, NA, ND, AIS grades, digits), which JSON writes as it stands, so the line can
    be filled in rather than encoded.
    """
    slots = reference_dict(tuple(f"@{i}@" for i in range(1, 26)))
    text = _encode({"id": "@0@", **slots}).replace("{", "{{").replace("}", "}}")
    text = text.replace('"@0@"', "{0}")
    for i in range(1, 26):
        text = text.replace(f"@{i}@", f"{{{i}}}")
    return text


_fill_answer = _answer_template().format


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
    with without_cycle_collection():
        return _classify_blocks(lines, stdout)


def _classify_blocks(lines: TextIO, stdout: TextIO) -> int:
    failed = False
    number = 0
    for block in iter(lambda: lines.readlines(_BLOCK), []):
        out: list[str] = []
        first = number + 1
        for number, line in enumerate(block, start=first):
            if not line.strip():
                continue
            answer, ok = answer_line(line, number)
            failed = failed or not ok
            out.append(answer)
        if out:
            stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


def answer_line(line: str, number: int) -> tuple[str, bool]:
    """Return the JSON answer to one input line and whether it was classified."""
    try:
        data = _read_json(line)
    except ValueError as exc:
        return _error(number, f"line {number}: invalid JSON: {exc}"), False
    record_id = _record_id(data, number)
    try:
        values = classify_values(*read_exam(_exam_of(data)))
    except ExamError as exc:
        return _error(record_id, f"line {number}: {exc}"), False
    return _fill_answer(_encode(record_id), *values), True


def _read_json(line: str) -> Any:
    try:
        data, end = _scan(line, 0)
    except (StopIteration, ValueError):
        return json.loads(line)
    if end != len(line) and line[end:].strip():
        return json.loads(line)
    return data


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
    if not RECORD_KEYS.issuperset(data):
        extra = sorted(data.keys() - RECORD_KEYS)
        raise ExamError(extra[0], 'unexpected field (a record has only "id" and "exam")')
    record_id = data.get("id")
    if record_id is not None and (
        isinstance(record_id, bool) or not isinstance(record_id, str | int | float)
    ):
        raise ExamError("id", f"{record_id!r} is not a string or a number")
    return data["exam"]


def _error(record_id: Any, message: str) -> str:
    return _encode({"id": record_id, "error": message})
