"""`celltrace isbt128`: one answer per DIN, misreads caught, what is wrong named."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.batch import isbt128 as batch
from celltrace.clinical import isbt128

dins = st.builds(
    lambda first, digits: first + digits,
    st.sampled_from(isbt128.FIN_FIRST),
    st.text(alphabet="0123456789", min_size=12, max_size=12),
)


def call(text: str = "", *argv: str) -> tuple[int, list[dict]]:
    """Run the subcommand as the CLI does; return the exit code and the answers."""
    parser = argparse.ArgumentParser()
    batch.add_arguments(parser)
    stdout = io.StringIO()
    code = batch.run(parser.parse_args(list(argv)), io.StringIO(text), stdout)
    return code, [json.loads(out) for out in stdout.getvalue().splitlines()]


def test_the_published_examples_give_their_check_character_and_flag():
    code, answers = call("G123417654321\nA999921123456\nG123498654321\n")
    assert code == 0
    assert answers == [
        {"din": "G123417654321", "check_character": "A", "flag": "70"},
        {"din": "A999921123456", "check_character": "3", "flag": "63"},
        {"din": "G123498654321", "check_character": "H", "flag": "77"},
    ]


def test_a_din_with_its_k_is_valid_and_with_another_k_is_not():
    _, answers = call("", "G123417654321A", "G123417654321B", "A9999211234563")
    assert [a["valid"] for a in answers] == [True, False, True]
    assert answers[0] == {"din": "G123417654321A", "valid": True}


@given(dins)
def test_a_generated_din_answers_a_check_character_its_din_plus_k_accepts(din):
    _, [computed] = call(din)
    assert computed["flag"] == f"{60 + isbt128.ALPHABET.index(computed['check_character'])}"
    _, [checked] = call("", din + computed["check_character"])
    assert checked == {"din": din + computed["check_character"], "valid": True}


@given(dins, st.data())
def test_a_substitution_or_an_adjacent_transposition_is_invalid(din, data):
    k = isbt128.check_character(din)
    position = data.draw(st.integers(1, len(din) - 1))
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda c: c != din[position]))
    substituted = din[:position] + replacement + din[position + 1 :]
    swap = data.draw(st.integers(0, len(din) - 2))
    transposed = din[:swap] + din[swap + 1] + din[swap] + din[swap + 2 :]
    typed = [substituted + k]
    if transposed != din and "error" not in batch.answer(transposed):  # still a DIN's shape
        typed.append(transposed + k)
    _, answers = call("\n".join(typed))
    assert [a["valid"] for a in answers] == [False] * len(typed)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("G1234176543", "13 characters (14 with its check character), not 11"),
        ("G123417654321AB", "not 15"),
        ("g123417654321", "upper case"),
        ("O123417654321", "never O or 0"),
        ("0123417654321", "never O or 0"),
        ("G12X417654321", "4 characters after a FIN's first one are digits"),
        ("G1234A7654321", "year's two digits"),
        ("G12341765432X", "6-digit sequence"),
        ("G123417654321a", "check character is 0-9, A-Z or *"),
    ],
)
def test_a_malformed_din_is_answered_with_what_is_wrong(text, reason):
    code, [answer] = call(text + "\n")
    assert code == 0
    assert set(answer) == {"din", "error"}
    assert answer["din"] == text
    assert reason in answer["error"]


def test_blank_lines_are_skipped_and_spaces_ignored_order_kept():
    _, answers = call("\n  G123498654321  \n\n\tbad\nG123498654321H\n")
    assert [a["din"] for a in answers] == ["G123498654321", "bad", "G123498654321H"]


@pytest.mark.parametrize("how", ["stdin", "arguments"])
def test_the_installed_command_answers_through_stdin_and_arguments(how):
    command = [sys.executable, "-m", "celltrace.cli", "isbt128"]
    dins = ["G123417654321", "G123417654321X", "nonsense"]
    if how == "arguments":
        done = subprocess.run([*command, *dins], capture_output=True, text=True, check=False)
    else:
        stdin = "\n".join(dins) + "\n"
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert answers[0] == {"din": "G123417654321", "check_character": "A", "flag": "70"}
    assert answers[1] == {"din": "G123417654321X", "valid": False}
    assert "13 characters" in answers[2]["error"]


def test_an_unknown_option_is_a_usage_problem():
    command = [sys.executable, "-m", "celltrace.cli", "isbt128", "--nope"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "usage: celltrace isbt128" in done.stderr
    assert done.stdout == ""
