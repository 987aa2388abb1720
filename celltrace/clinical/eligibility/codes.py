"""Match ICD-10 codes against a rule's code prefixes and ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z]{0,5}$")


def normalise(code: str) -> str:
    """Spell an ICD-10 code without dot or spaces, in upper case (I63.9 -> I639)."""
    return code.strip().upper().replace(".", "").replace(" ", "")


def is_code(text: str) -> bool:
    """Say whether `text` looks like an ICD-10 code or code prefix."""
    return bool(_CODE.match(normalise(text)))


@dataclass(frozen=True, slots=True)
class CodePattern:
    """A prefix (`I63`, `K22.7`) or an inclusive range of prefixes (`C00-D09`)."""

    first: str
    last: str

    @classmethod
    def parse(cls, text: str) -> CodePattern:
        """Read 'I63' or 'C00-D09'; fail on anything else."""
        parts = text.split("-")
        if len(parts) > 2 or not all(is_code(part) for part in parts):
            raise ValueError(f"{text!r} is not an ICD-10 code, prefix or range like C00-D09")
        first, last = normalise(parts[0]), normalise(parts[-1])
        if last[: len(first)] < first[: len(last)]:
            raise ValueError(f"ICD-10 range {text!r} ends before it starts")
        return cls(first, last)

    def matches(self, code: str) -> bool:
        """Say whether `code` falls under this prefix or range."""
        code = normalise(code)
        # Compare at each bound's own precision, so C00-D09 holds C50.9 and D09.0 alike.
        return self.first <= code[: len(self.first)] and code[: len(self.last)] <= self.last

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first}-{self.last}"
