"""ISBT 128 identifiers: the published check characters, and every misread caught."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical import isbt128
from celltrace.clinical.isbt128 import InvalidIdentifier

# ICCBBA ST-001 and LAB.md: the DIN, its keyboard check character and the type 3 flag.
PUBLISHED = [
    ("G123417654321", "A", "70"),
    ("A999921123456", "3", "63"),
    ("G123498654321", "H", "77"),
]

dins = st.builds(
    lambda first, digits: first + digits,
    st.sampled_from(isbt128.FIN_FIRST),
    st.text(alphabet="0123456789", min_size=12, max_size=12),
)


@pytest.mark.parametrize(("din", "check", "flag"), PUBLISHED)
def test_published_check_characters_and_flags(din, check, flag):
    assert isbt128.check_character(din) == check
    assert isbt128.check_flag(din) == flag
    assert isbt128.parse_din_with_check(din + check) == (isbt128.Din(din), True)


def test_the_recursive_form_of_lab_md_gives_the_same_checksum():
    def by_hand(text):
        p = 0
        for char in text:
            p = ((p + isbt128.ALPHABET.index(char)) * 2) % 37
        return (38 - p) % 37

    for din, _, _ in PUBLISHED:
        assert isbt128.checksum(din) == by_hand(din)


@given(dins)
def test_a_single_substitution_is_caught(din):
    check = isbt128.check_character(din)
    for position in range(len(din)):
        for replacement in "0123456789":
            if replacement == din[position] or (position == 0 and replacement == "0"):
                continue
            changed = din[:position] + replacement + din[position + 1 :]
            assert isbt128.check_character(changed) != check


@given(dins)
def test_an_adjacent_transposition_is_caught(din):
    check = isbt128.check_character(din)
    for position in range(len(din) - 1):
        a, b = din[position], din[position + 1]
        if a == b or (position == 0 and b == "0"):
            continue
        swapped = din[:position] + b + a + din[position + 2 :]
        assert isbt128.check_character(swapped) != check


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("G12341765432", "13 characters"),
        ("O123417654321", "never O or 0"),
        ("0123417654321", "never O or 0"),
        ("GA23417654321", "digits"),
        ("G1234X7654321", "year"),
        ("G12341765432X", "sequence"),
        ("g123417654321", "upper case"),
    ],
)
def test_a_malformed_din_is_refused_with_what_is_wrong(text, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        isbt128.parse_din(text)


def test_make_din_numbers_within_the_fin_and_year():
    assert isbt128.make_din("G1234", 2026, 7).value == "G123426000007"
    with pytest.raises(InvalidIdentifier):
        isbt128.make_din("G1234", 2026, 1_000_000)


def test_scans_are_read_by_their_data_identifiers():
    assert isbt128.read_scan("=G12341765432170") == isbt128.Scan("din", "G123417654321", "70")
    assert isbt128.read_scan("=G12341765432100").kind == "din"  # flags unused
    assert isbt128.read_scan(" g123417654321a ") == isbt128.Scan("din", "G123417654321")
    assert isbt128.read_scan("=<A00011A0").kind == "product_code"
    assert isbt128.read_scan("&>0263362359").kind == "expiry"
    assert isbt128.read_scan("L-20261126-001") == isbt128.Scan("text", "L-20261126-001")


def test_a_din_typed_as_printed_with_spaces_and_a_division_names_the_part():
    assert isbt128.read_scan("G1234 17 654321 A") == isbt128.Scan("din", "G123417654321")
    assert isbt128.read_scan("G1234 17 654321 A B0") == isbt128.Scan(
        "din", "G123417654321", division="B0"
    )
    assert isbt128.read_scan("g123417654321ab0").division == "B0"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("=G12341765432171", "does not match its check flag"),
        ("G123417654321B", "does not fit"),
        ("G123417654321", "with its check character"),
        ("=G123417654321", "2 flag characters"),
        ("G1234 17 654321 B A0", "does not fit"),
        ("G1234 17 654321 A 0A", "a capital letter then 0"),
    ],
)
def test_a_misread_or_mistyped_scan_is_refused(text, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        isbt128.read_scan(text)


def test_codes_on_the_label():
    assert isbt128.product_code_data("A0001", "1", "00") == "=<A00011" + "00"
    assert isbt128.divisions(3) == ["A0", "B0", "C0"]
    assert isbt128.expiry_data(dt.datetime(2026, 12, 2, 23, 59)) == "&>0263362359"
    assert isbt128.chain_of_identity("G1234", 2026, "00001A") == "CHG12342600001A"
    with pytest.raises(InvalidIdentifier):
        isbt128.validate_division("0A")
