"""`celltrace isbt128 [DIN ...]`: ISBT 128 check characters and checks, JSON lines out.

Reads DINs from the arguments, or one a line from standard input when there are none, and
answers each with one JSON line, in input order:

- a 13-character DIN: `{"din", "check_character", "flag"}`, the keyboard check character K
  (ISO/IEC 7064 MOD 37-2) and the type 3 flag characters (60 + the checksum) for the barcode;
- 14 characters (a DIN typed with its K): `{"din", "valid"}`, whether K fits the DIN;
- anything else: `{"din", "error"}`, naming what is wrong.

Surrounding spaces are ignored; blank lines are skipped (they carry no DIN, and a file's
trailing newline must not read as an error). Nothing is upper-cased for you: a DIN in lower
case is an error, since a label or record that prints it so is wrong. The exit code is 0 when
every input was answered, errors and invalid checks included (they are answers: read the
output); 2 for a usage problem (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from celltrace.clinical import isbt128


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the DINs (none: read them from standard input, one a line)."""
    parser.add_argument("dins", nargs="*", metavar="DIN", help="DINs, with or without K")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Answer every DIN of the arguments, or of standard input; return the exit code."""
    for answer in answers(args.dins or stdin):
        stdout.write(json.dumps(answer) + "\n")
    return 0


def answers(lines: Iterable[str]) -> Iterator[dict]:
    """Yield the answer to each non-blank line, in input order."""
    for line in lines:
        text = line.strip()
        if text:
            yield answer(text)


def answer(text: str) -> dict:
    """Answer one DIN: its check character and flag, whether its K fits, or what is wrong."""
    try:
        if len(text) == isbt128.DIN_LENGTH + 1:
            _din, fits = isbt128.parse_din_with_check(text)
            return {"din": text, "valid": fits}
        din = isbt128.parse_din(text)
    except isbt128.InvalidIdentifier as error:
        return {"din": text, "error": str(error)}
    return {"din": text, "check_character": din.check_character, "flag": din.check_flag}
