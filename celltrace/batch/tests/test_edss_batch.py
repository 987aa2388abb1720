"""`celltrace edss`: JSON lines in, one answer per line out, errors named, input order kept."""

from __future__ import annotations

import argparse
import io
import json

from celltrace.batch import edss as batch

NORMAL = {
    "visual": 0,
    "brainstem": 0,
    "pyramidal": 0,
    "cerebellar": 0,
    "sensory": 0,
    "bowel_bladder": 0,
    "cerebral": 0,
    "ambulation": 0,
}


def line(line_id="p1", **grades) -> str:
    return json.dumps({"id": line_id, **NORMAL, **grades})


def call(text: str, *argv: str) -> tuple[int, list[dict], str]:
    """Run the subcommand as the CLI does; return the exit code, answers and raw output."""
    parser = argparse.ArgumentParser()
    batch.add_arguments(parser)
    stdout = io.StringIO()
    code = batch.run(parser.parse_args(list(argv)), io.StringIO(text), stdout)
    raw = stdout.getvalue()
    return code, [json.loads(out) for out in raw.splitlines()], raw


def test_it_scores_each_line_and_exits_0_when_all_are_scored():
    code, answers, _ = call(line("a", pyramidal=3, cerebellar=2) + "\n" + line("b", ambulation=4))
    assert code == 0
    assert answers == [{"id": "a", "edss": 3.5}, {"id": "b", "edss": 5.5}]


def test_it_reads_visual_and_bowel_bladder_as_raw_grades():
    _, answers, _ = call(line(visual=3) + "\n" + line(bowel_bladder=6))
    assert [a["edss"] for a in answers] == [2.0, 5.0]


def test_it_prints_the_edss_as_a_json_number():
    _, _, raw = call(line("x", pyramidal=3, sensory=2))
    assert raw == '{"id": "x", "edss": 3.5}\n'


def test_it_answers_the_good_lines_around_a_bad_one_in_input_order():
    text = "\n".join([line("a", sensory=2), "{not json", line("c", visual=1)])
    code, answers, _ = call(text)
    assert code == 1
    assert answers[0] == {"id": "a", "edss": 2.0}
    assert answers[1]["id"] is None
    assert answers[1]["error"].startswith("line 2: invalid JSON")
    assert answers[2] == {"id": "c", "edss": 1.0}


def test_it_names_an_out_of_range_grade_and_its_allowed_range():
    code, answers, _ = call(line("p9", brainstem=6))
    assert code == 1
    assert answers == [
        {"id": "p9", "error": "line 1: brainstem must be an integer from 0 to 5, got 6"}
    ]


def test_it_refuses_a_grade_that_is_not_an_integer():
    _, answers, _ = call(line(ambulation=2.5) + "\n" + line(cerebral="1"))
    assert "ambulation must be an integer from 0 to 16, got 2.5" in answers[0]["error"]
    assert "cerebral must be an integer from 0 to 5, got '1'" in answers[1]["error"]


def test_it_names_missing_and_unknown_fields():
    record = {"id": "p2", **NORMAL, "other": 1}
    del record["sensory"], record["ambulation"]
    _, answers, _ = call(json.dumps(record))
    assert answers == [
        {
            "id": "p2",
            "error": "line 1: missing field(s): sensory, ambulation; unknown field(s): other",
        }
    ]


def test_it_refuses_a_line_without_an_id():
    record = dict(NORMAL)
    _, answers, _ = call(json.dumps(record))
    assert answers == [{"id": None, "error": "line 1: missing field(s): id"}]


def test_it_refuses_an_id_that_is_neither_text_nor_an_integer():
    _, answers, _ = call(line(line_id=[1]))
    assert answers == [{"id": None, "error": "line 1: id must be a string or an integer, got [1]"}]


def test_it_refuses_a_line_that_is_not_an_object():
    code, answers, _ = call("[1, 2]\n")
    assert code == 1
    assert answers == [{"id": None, "error": "line 1: expected a JSON object, got list"}]


def test_it_skips_blank_lines_but_counts_them_in_line_numbers():
    code, answers, _ = call("\n   \n" + line("a") + "\n\n" + '{"id": "b"}' + "\n")
    assert answers[0] == {"id": "a", "edss": 0.0}
    assert answers[1]["error"].startswith("line 5: missing field(s): visual")
    assert len(answers) == 2
    assert code == 1


def test_it_exits_0_on_empty_input():
    assert call("") == (0, [], "")


def test_it_reads_a_file_named_on_the_command_line(tmp_path):
    path = tmp_path / "sheets.jsonl"
    path.write_text(line("f", pyramidal=4) + "\n", encoding="utf-8")
    code, answers, _ = call("ignored stdin", str(path))
    assert (code, answers) == (0, [{"id": "f", "edss": 4.0}])


def test_it_reads_standard_input_when_the_file_is_a_dash():
    code, answers, _ = call(line("s", ambulation=16), "-")
    assert (code, answers) == (0, [{"id": "s", "edss": 10.0}])
