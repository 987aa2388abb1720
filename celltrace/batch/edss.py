"""`celltrace edss [FILE]`: EDSS steps for Neurostatus-EDSS scoring sheets, JSON lines in and out.

Each input line is one object with `id` and the eight grades of `FunctionalSystems` (visual
and bowel_bladder RAW, as on the sheet). Each output line is `{"id", "edss"}`, or
`{"id", "error"}` for a line that cannot be scored; the other lines are still answered, in
input order. Blank lines are skipped. The exit code is 0 when every line was scored, else 1.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from celltrace.clinical.edss import FunctionalSystems, FunctionalSystemsError, score_edss

GRADE_FIELDS = (
    "visual",
    "brainstem",
    "pyramidal",
    "cerebellar",
    "sensory",
    "bowel_bladder",
    "cerebral",
    "ambulation",
)
EXPECTED_FIELDS = frozenset({"id", *GRADE_FIELDS})


class LineError(ValueError):
    """An input line that cannot be scored, with the id when the line had one."""

    def __init__(self, message: str, line_id: object = None) -> None:
        super().__init__(message)
        self.line_id = line_id


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the optional input file (absent or `-` reads standard input)."""
    parser.add_argument(
        "file", nargs="?", default="-", help="JSON lines file of scoring sheets (default: stdin)"
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Score every line of the input and return the exit code."""
    if args.file in (None, "-"):
        return score_lines(stdin, stdout)
    with open(args.file, encoding="utf-8") as lines:
        return score_lines(lines, stdout)


def score_lines(lines: Iterable[str], stdout: TextIO) -> int:
    """Write one answer per non-blank line; return 1 if any line had an error."""
    all_scored = True
    for answer in answers(lines):
        all_scored = all_scored and "error" not in answer
        stdout.write(json.dumps(answer) + "\n")
    return 0 if all_scored else 1


def answers(lines: Iterable[str]) -> Iterator[dict]:
    """Yield the answer to each non-blank line, in input order."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            line_id, systems = parse_line(line)
        except LineError as error:
            yield {"id": error.line_id, "error": f"line {number}: {error}"}
            continue
        yield {"id": line_id, "edss": score_edss(systems).edss}


def parse_line(line: str) -> tuple[object, FunctionalSystems]:
    """Read one JSON line into its id and scoring sheet."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"invalid JSON: {error.msg} at column {error.colno}") from None
    if not isinstance(record, dict):
        raise LineError(f"expected a JSON object, got {type(record).__name__}")
    line_id = record.get("id")
    if record.keys() != EXPECTED_FIELDS:
        raise LineError("; ".join(_field_problems(record.keys())), line_id)
    if type(line_id) not in (str, int):
        raise LineError(f"id must be a string or an integer, got {line_id!r}")
    try:
        return line_id, FunctionalSystems(**{name: record[name] for name in GRADE_FIELDS})
    except FunctionalSystemsError as error:
        raise LineError(str(error), line_id) from None


def _field_problems(keys: Iterable[str]) -> list[str]:
    """Name the missing and the unknown fields of a line."""
    present = set(keys)
    problems = []
    missing = [name for name in ("id", *GRADE_FIELDS) if name not in present]
    if missing:
        problems.append("missing field(s): " + ", ".join(missing))
    unknown = sorted(present - EXPECTED_FIELDS)
    if unknown:
        problems.append("unknown field(s): " + ", ".join(unknown))
    return problems
