"""ISBT 128 identifiers for cellular therapy products (ICCBBA ST-001, ST-028).

A Donation Identification Number (DIN, data structure 001) is 13 characters
`αppppyynnnnnn`: the Facility Identification Number (FIN) `αpppp`, a two-digit year and a
six-digit sequence unique within that FIN and year. People read and type it with a keyboard
check character K, the ISO/IEC 7064 MOD 37-2 checksum of the 13 characters, printed beside
the DIN and never inside the barcode; scanners send the data string `=αppppyynnnnnnff`,
where the flag characters `ff` may carry the same checksum as 60 + its value.

This module is framework-free: the lab allocates identifiers with it, the screens read scans
with it, and `celltrace isbt128` checks printers and legacy records with it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_2

# The MOD 37-2 alphabet: 0-9 -> 0-9, A-Z -> 10-35, * -> 36.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
# The first character of a FIN is a letter or a non-zero digit, never O or 0 (they read alike).
FIN_FIRST = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
DIN_LENGTH = 13
CHECK_FLAG_BASE = 60
NOT_DIVIDED = "00"

_FIN = re.compile(rf"^[{FIN_FIRST}][0-9]{{4}}$")
_DIVISION = re.compile(r"^(00|[A-Z][0a-z])$")
_PRODUCT_DESCRIPTION = re.compile(r"^[A-Z][0-9]{4}$")
_COLLECTION_TYPES = {"1": "for autologous use only", "V": "volunteer allogeneic", "R": "research"}


class InvalidIdentifier(ValueError):
    """An identifier that is not well formed; the message names what is wrong."""


@dataclass(frozen=True, slots=True)
class Din:
    """A well-formed Donation Identification Number."""

    value: str

    @property
    def fin(self) -> str:
        return self.value[:5]

    @property
    def year(self) -> str:
        return self.value[5:7]

    @property
    def sequence(self) -> str:
        return self.value[7:]

    @property
    def check_character(self) -> str:
        return check_character(self.value)

    @property
    def check_flag(self) -> str:
        return check_flag(self.value)

    def eye_readable(self) -> str:
        """The DIN as printed under the barcode, grouped, with K apart: `G1234 17 654321 A`."""
        return f"{self.fin} {self.year} {self.sequence} {self.check_character}"

    def data_string(self, flag: str | None = None) -> str:
        """The barcode data (data structure 001), with the checksum flag unless one is given."""
        return f"={self.value}{flag if flag is not None else self.check_flag}"


def checksum(text: str) -> int:
    """Return the ISO/IEC 7064 MOD 37-2 check value (0-36) of `text`."""
    return ALPHABET.index(mod_37_2.calc_check_digit(text))


def check_character(text: str) -> str:
    """Return the keyboard check character K of a DIN (or any ISBT 128 identifier)."""
    return mod_37_2.calc_check_digit(text)


def check_flag(din: str) -> str:
    """Return the type 3 flag characters: 60 + the checksum, as two digits (60-96)."""
    return f"{CHECK_FLAG_BASE + checksum(din):02d}"


def validate_fin(fin: str) -> str:
    """Return the FIN if it is well formed; raise InvalidIdentifier naming what is wrong."""
    if not isinstance(fin, str) or len(fin) != 5:
        raise InvalidIdentifier("A FIN has 5 characters: a letter or digit 1-9, then 4 digits.")
    if fin[0] not in FIN_FIRST:
        raise InvalidIdentifier(
            f"A FIN starts with A-N, P-Z or 1-9 (never O or 0), not {fin[0]!r}."
        )
    if not _FIN.match(fin):
        raise InvalidIdentifier(f"The 4 characters after a FIN's first one are digits: {fin!r}.")
    return fin


def parse_din(text: str) -> Din:
    """Return the 13-character DIN `text`; raise InvalidIdentifier naming what is wrong."""
    if len(text) != DIN_LENGTH:
        raise InvalidIdentifier(
            f"A DIN has 13 characters (14 with its check character), not {len(text)}."
        )
    if text != text.upper():
        raise InvalidIdentifier("A DIN is written in upper case.")
    validate_fin(text[:5])
    if not text[5:7].isdigit() or not text[5:7].isascii():
        raise InvalidIdentifier(
            f"Characters 6-7 of a DIN are the year's two digits: {text[5:7]!r}."
        )
    if not text[7:].isdigit() or not text[7:].isascii():
        raise InvalidIdentifier(f"Characters 8-13 of a DIN are a 6-digit sequence: {text[7:]!r}.")
    return Din(text)


def parse_din_with_check(text: str) -> tuple[Din, bool]:
    """Read a DIN typed with its check character (14 characters): the DIN and whether K fits."""
    if len(text) != DIN_LENGTH + 1:
        raise InvalidIdentifier(
            f"A DIN with its check character has 14 characters, not {len(text)}."
        )
    din = parse_din(text[:DIN_LENGTH])
    given = text[DIN_LENGTH]
    if given not in ALPHABET:
        raise InvalidIdentifier(f"A check character is 0-9, A-Z or *, not {given!r}.")
    return din, given == din.check_character


def make_din(fin: str, year: int, sequence: int) -> Din:
    """Build the DIN of the `sequence`-th product of `year` at the facility `fin`."""
    validate_fin(fin)
    if not 1 <= sequence <= 999_999:
        raise InvalidIdentifier("A DIN's sequence runs from 000001 to 999999 within a year.")
    return parse_din(f"{fin}{year % 100:02d}{sequence:06d}")


def validate_division(division: str) -> str:
    """`00` for an undivided product; `A0`-`Z0` for the first split, `Aa`-`Zz` for a second."""
    if not _DIVISION.match(division or ""):
        raise InvalidIdentifier(
            "A division is 00 (not divided), or a capital letter then 0 or a small letter."
        )
    return division


def divisions(count: int) -> list[str]:
    """Return the division codes of a product split into `count` parts: A0, B0, ..."""
    if not 2 <= count <= 26:
        raise InvalidIdentifier("A product is split into 2 to 26 divisions.")
    return [f"{chr(ord('A') + i)}0" for i in range(count)]


def validate_product_description(code: str) -> str:
    """A product description code: a letter and 4 digits (local codes start with A-D)."""
    if not _PRODUCT_DESCRIPTION.match(code or ""):
        raise InvalidIdentifier("A product description code is a capital letter and 4 digits.")
    return code


def product_code_data(description: str, collection_type: str, division: str) -> str:
    """The barcode data of the product code (data structure 003): `=<αooootds`."""
    validate_product_description(description)
    if collection_type not in _COLLECTION_TYPES:
        raise InvalidIdentifier(f"Unknown collection type {collection_type!r}.")
    return f"=<{description}{collection_type}{validate_division(division)}"


def expiry_data(moment: dt.datetime) -> str:
    """The barcode data of the expiry (data structure 005): `&>cyyjjjhhmm`, local time."""
    century = moment.year // 100 - 20
    if not 0 <= century <= 9:
        raise InvalidIdentifier("ISBT 128 expiry dates run from 2000 to 2999.")
    return f"&>{century}{moment:%y}{moment.timetuple().tm_yday:03d}{moment:%H%M}"


def chain_of_identity(fin: str, year: int, sequence: str) -> str:
    """The Chain of Identity identifier (data structure 040 content): `CHαppppyynnnnnn`."""
    validate_fin(fin)
    if not re.fullmatch(r"[0-9A-Z]{6}", sequence):
        raise InvalidIdentifier("A Chain of Identity sequence is 6 capital letters or digits.")
    return f"CH{fin}{year % 100:02d}{sequence}"


@dataclass(frozen=True, slots=True)
class Scan:
    """What a screen received, read: its kind and the identifier it carries."""

    kind: str  # "din", "product_code", "expiry", "chain_of_identity", "text"
    value: str
    flag: str = ""
    # A DIN typed with K and a division (`X9991 26 000001 2 A0`): the part of a split product.
    division: str = ""


def _looks_like_din(text: str) -> bool:
    """A FIN's first character then digits: typed as a DIN, so read as one (or refused)."""
    return len(text) >= DIN_LENGTH and text[0] in FIN_FIRST and text[1:DIN_LENGTH].isdigit()


def _din_with_fitting_check(text: str) -> Din:
    din, fits = parse_din_with_check(text)
    if not fits:
        raise InvalidIdentifier(
            f"The check character {text[-1]} does not fit the DIN {din.value}: "
            "check the number typed."
        )
    return din


def read_scan(text: str) -> Scan:
    """Read what a scanner or a keyboard sent.

    A barcode data string starts with `=` or `&` and a second character naming the data
    structure; a typed DIN may carry its check character, which must fit. Anything else is
    returned as text for the caller to look up (a local lot code). Raise InvalidIdentifier
    for a DIN or data string that is malformed or whose check does not fit, so a misread is
    never taken for another product.
    """
    text = (text or "").strip()
    if text.startswith("=+"):
        # A label's 2D code: the lot is named by its DIN, read and checked as if scanned alone.
        parts = split_compound(text)
        return read_scan(next((p for p in parts if p[0] == "=" and p[1] != "<"), parts[0]))
    if text.startswith("=<"):
        return Scan("product_code", text[2:])
    if text.startswith("&>"):
        return Scan("expiry", text[2:])
    if text.startswith("&/"):
        return Scan("chain_of_identity", text[2:])
    if text.startswith("="):
        body = text[1:]
        if len(body) != DIN_LENGTH + 2:
            raise InvalidIdentifier(
                f"A DIN data string is '=', 13 DIN characters and 2 flag characters: {text!r}."
            )
        din, flag = parse_din(body[:DIN_LENGTH]), body[DIN_LENGTH:]
        if not flag.isdigit():
            raise InvalidIdentifier(f"The flag characters are two digits, not {flag!r}.")
        if CHECK_FLAG_BASE <= int(flag) <= CHECK_FLAG_BASE + 36 and flag != din.check_flag:
            raise InvalidIdentifier(
                f"The DIN {din.value} does not match its check flag {flag}: misread label."
            )
        return Scan("din", din.value, flag)
    # Typed from the eye-readable text: spaces between the groups are not part of it.
    upper = "".join(text.upper().split())
    if _looks_like_din(upper) and len(upper) == DIN_LENGTH + 1 + 2:
        din = _din_with_fitting_check(upper[: DIN_LENGTH + 1])
        return Scan("din", din.value, division=validate_division(upper[-2:-1] + text[-1:]))
    if _looks_like_din(upper) and len(upper) == DIN_LENGTH + 1:
        return Scan("din", _din_with_fitting_check(upper).value)
    if _looks_like_din(upper) and len(upper) == DIN_LENGTH:
        # Typed without K, one wrong digit would name another product: ask for K.
        raise InvalidIdentifier(
            f"Type the DIN {upper} with its check character K, as printed beside it."
        )
    return Scan("text", text)


def compound_message(*data_strings: str) -> str:
    """Join data strings into one compound message (data structure 023): `=+aabbb` then each.

    `aa` counts the data structures that follow; `bbb` 000 says their order is not one of
    ICCBBA's predefined compound messages. A 2D code (DataMatrix) carries it, so one scan
    reads the DIN, product code and expiry together.
    """
    if not 1 <= len(data_strings) <= 99:
        raise InvalidIdentifier("A compound message holds 1 to 99 data structures.")
    if any(not s or s[0] not in "=&" for s in data_strings):
        raise InvalidIdentifier("Each part of a compound message is an ISBT 128 data string.")
    return f"=+{len(data_strings):02d}000" + "".join(data_strings)


# The length of each data structure a compound message may hold: identifier and content.
_STRUCTURE_LENGTHS = {"=<": 10, "&>": 12, "&/": 17}


def split_compound(text: str) -> list[str]:
    """Return the data strings of a compound message (`=+aabbb...`); raise if malformed."""
    header = text[2:7]
    if not text.startswith("=+") or not header.isdigit():
        raise InvalidIdentifier(f"A compound message starts with '=+' and 5 digits: {text!r}.")
    parts, rest = [], text[7:]
    while rest:
        length = _STRUCTURE_LENGTHS.get(rest[:2], DIN_LENGTH + 3 if rest[0] == "=" else 0)
        if not length or len(rest) < length:
            raise InvalidIdentifier(f"Unreadable data structure in a compound message: {rest!r}.")
        parts.append(rest[:length])
        rest = rest[length:]
    if len(parts) != int(header[:2]):
        raise InvalidIdentifier(
            f"The compound message announces {int(header[:2])} data structures, not {len(parts)}."
        )
    return parts
