"""`celltrace isncsci`: JSON lines in, one JSON line out per exam, in order."""

from __future__ import annotations

import argparse
import io
import json

from celltrace.batch import isncsci
from celltrace.clinical.tests.reference_cases import isncsci_cases

CASES = isncsci_cases()


def _run(text: str, *argv: str) -> tuple[int, list[dict]]:
    parser = argparse.ArgumentParser()
    isncsci.add_arguments(parser)
    stdout = io.StringIO()
    code = isncsci.run(parser.parse_args(list(argv)), io.StringIO(text), stdout)
    return code, [json.loads(line) for line in stdout.getvalue().splitlines()]


def test_it_answers_each_record_with_its_id_and_the_reference_result():
    lines = [json.dumps({"id": case["id"], "exam": case["exam"]}) for case in CASES]

    code, answers = _run("\n".join(lines) + "\n")

    assert code == 0
    assert [a["id"] for a in answers] == [case["id"] for case in CASES]
    for answer, case in zip(answers, CASES, strict=True):
        assert answer["classification"] == case["expected"]["classification"]
        assert answer["totals"] == case["expected"]["totals"]


def test_it_gives_a_bare_exam_its_line_number_as_id():
    text = "\n" + json.dumps(CASES[0]["exam"]) + "\n"

    code, answers = _run(text)

    assert code == 0
    assert answers[0]["id"] == 2
    assert answers[0]["classification"] == CASES[0]["expected"]["classification"]


def test_it_answers_bad_lines_with_errors_and_still_answers_the_others():
    good = json.dumps({"id": "p1", "exam": CASES[1]["exam"]})
    bad_grade = json.loads(good)
    bad_grade["id"] = "p2"
    bad_grade["exam"]["left"]["motor"]["L3"] = "7"
    lines = [good, "{not json", "", json.dumps(bad_grade), good.replace("p1", "p3")]

    code, answers = _run("\n".join(lines))

    assert code == 1
    assert [a["id"] for a in answers] == ["p1", 2, "p2", "p3"]
    assert "classification" in answers[0] and "classification" in answers[3]
    assert answers[1]["error"].startswith("line 2: invalid JSON")
    assert answers[2] == {"id": "p2", "error": "line 4: left.motor.L3: '7' is not a motor grade"}


def test_it_refuses_a_record_with_a_field_besides_id_and_exam():
    record = {"id": 9, "exam": CASES[0]["exam"], "site": "north"}

    code, answers = _run(json.dumps(record))

    assert code == 1
    assert answers == [
        {"id": 9, "error": 'line 1: site: unexpected field (a record has only "id" and "exam")'}
    ]


def test_it_refuses_a_line_that_is_not_an_object():
    code, answers = _run("[1, 2]\n")

    assert code == 1
    assert answers == [{"id": 1, "error": "line 1: exam must be a JSON object, not list"}]


def test_it_exits_0_on_empty_input():
    assert _run("\n\n") == (0, [])


def test_it_reads_a_file_named_on_the_command_line(tmp_path):
    path = tmp_path / "exams.jsonl"
    path.write_text(json.dumps({"id": "a", "exam": CASES[2]["exam"]}) + "\n", "utf-8")

    code, answers = _run("", str(path))

    assert code == 0
    assert answers[0]["id"] == "a"
    assert answers[0]["totals"] == CASES[2]["expected"]["totals"]


def test_it_writes_each_answer_exactly_as_json_would_encode_it():
    # The answer line is filled into a template: it must match the encoder byte for byte.
    lines = [json.dumps({"id": case["id"], "exam": case["exam"]}) for case in CASES]
    stdout = io.StringIO()

    isncsci.classify_lines(io.StringIO("\n".join(lines)), stdout)

    for written, case in zip(stdout.getvalue().splitlines(), CASES, strict=True):
        expected = {"id": case["id"], **case["expected"]}
        assert written == json.dumps(expected, separators=(",", ":"))


def test_it_reads_lines_with_surrounding_whitespace_and_unusual_ids():
    exam = json.dumps({"id": 'a "quoted" id', "exam": CASES[0]["exam"]})
    text = f"  {exam}  \r\n{json.dumps({'id': 2.5, 'exam': CASES[1]['exam']})}\n"

    code, answers = _run(text)

    assert code == 0
    assert [a["id"] for a in answers] == ['a "quoted" id', 2.5]
    assert answers[0]["classification"] == CASES[0]["expected"]["classification"]


def test_it_reports_trailing_text_after_an_exam_as_json_does():
    line = json.dumps(CASES[0]["exam"]) + " x"
    try:
        json.loads(line)
    except ValueError as exc:
        expected = f"line 1: invalid JSON: {exc}"

    code, answers = _run(line + "\n")

    assert code == 1
    assert answers == [{"id": 1, "error": expected}]


def test_it_reads_input_longer_than_one_block(monkeypatch):
    monkeypatch.setattr(isncsci, "_BLOCK", 100)
    lines = [json.dumps({"id": k, "exam": CASES[k % len(CASES)]["exam"]}) for k in range(30)]

    code, answers = _run("\n\n".join(lines))

    assert code == 0
    assert [a["id"] for a in answers] == list(range(30))
