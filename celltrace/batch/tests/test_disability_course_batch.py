"""The `celltrace disability-course` command, called through run() with text streams."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import warnings
from pathlib import Path

import pymsprog
import pytest

from celltrace.batch import disability_course

TOY_DATA = Path(pymsprog.__file__).parent / "data"


def run_command(argv: list[str], stdin: str = "") -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    disability_course.add_arguments(parser)
    out = io.StringIO()
    code = disability_course.run(parser.parse_args(argv), io.StringIO(stdin), out)
    return code, out.getvalue()


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


WORSENING = "id,date,edss\nA,2020-01-01,2.0\nA,2020-04-10,3.0\nA,2020-07-20,3.0\n"


def test_it_writes_the_results_table_for_a_confirmed_worsening():
    code, out = run_command(["--outcome", "edss"], WORSENING)
    assert code == 0
    assert out.splitlines()[0] == (
        "id,nevent,event_type,CDW_type,total_fu,time2event,bl2event,sust_days,sust_last"
    )
    assert rows(out) == [
        {"id": "A", "nevent": "1", "event_type": "CDW", "CDW_type": "undefined",
         "total_fu": "201", "time2event": "100", "bl2event": "100", "sust_days": "101",
         "sust_last": "True"},
    ]  # fmt: skip


def test_it_lists_a_patient_without_events_with_the_whole_follow_up():
    code, out = run_command(["--outcome", "edss"], "id,date,edss\nB,2020-01-01,2\nB,2021-01-01,2\n")
    assert code == 0
    assert rows(out)[0]["nevent"] == "0"
    assert rows(out)[0]["time2event"] == "366"


def test_it_reads_the_value_from_the_third_column_when_none_is_named_after_the_outcome():
    code, out = run_command(["--outcome", "edss"], WORSENING.replace("edss", "score"))
    assert code == 0
    assert rows(out)[0]["event_type"] == "CDW"


def test_it_types_a_worsening_near_a_relapse_as_raw(tmp_path):
    relapses = tmp_path / "relapses.csv"
    relapses.write_text("id,date\nA,2020-03-20\n")
    code, out = run_command(
        ["--outcome", "edss", "--relapses", str(relapses), "--raw-pira"], WORSENING
    )
    assert code == 0
    assert rows(out)[0]["CDW_type"] == "RAW"


def test_it_refuses_a_missing_column_without_partial_output(capsys):
    code, out = run_command(["--outcome", "edss"], "id,edss\nA,2\n")
    assert code == 2
    assert out == ""
    assert "missing column(s) date" in capsys.readouterr().err


def test_it_names_the_row_with_an_unreadable_date(capsys):
    code, out = run_command(["--outcome", "edss"], WORSENING + "A,2020-13-01,3.0\n")
    assert (code, out) == (2, "")
    assert "standard input row 5: cannot read date '2020-13-01'" in capsys.readouterr().err


def test_it_names_the_row_with_an_unreadable_score(capsys):
    code, out = run_command(["--outcome", "edss"], "id,date,edss\nA,2020-01-01,two\n")
    assert (code, out) == (2, "")
    assert "row 2: cannot read score 'two'" in capsys.readouterr().err


class Pipe(io.StringIO):
    """Standard input from a pipe: it cannot be read twice."""

    def seekable(self) -> bool:
        return False


def test_it_counts_blank_lines_in_the_row_number_even_from_a_pipe(capsys):
    parser = argparse.ArgumentParser()
    disability_course.add_arguments(parser)
    text = "id,date,edss\nA,2020-01-01,2\n\nA,2020-02-01,2\nB,2020-13-01,3\nB,2020-03-01,x\n"
    code = disability_course.run(
        parser.parse_args(["--outcome", "edss"]), Pipe(text), io.StringIO()
    )
    assert code == 2
    assert "standard input row 5: cannot read date '2020-13-01'" in capsys.readouterr().err


def test_it_names_the_field_a_short_row_lacks(capsys):
    code, out = run_command(["--outcome", "edss"], WORSENING + "B,2020-01-01\n")
    assert (code, out) == (2, "")
    assert "standard input row 5: too few fields (no 'edss')" in capsys.readouterr().err


def test_it_names_the_row_of_an_unreadable_relapse_date(tmp_path, capsys):
    relapses = tmp_path / "relapses.csv"
    relapses.write_text("id,date\nA,2020-03-20\nA,20-03-2020\n")
    code, out = run_command(["--outcome", "edss", "--relapses", str(relapses)], WORSENING)
    assert (code, out) == (2, "")
    assert f"{relapses} row 3: cannot read date '20-03-2020'" in capsys.readouterr().err


def test_it_ignores_spaces_around_cells_and_fields_beyond_the_header():
    text = "id,date,edss\nA,2020-01-01,2.0,note\n A ,2020-04-10, 3.0\nA, 2020-07-20 ,3\n"
    code, out = run_command(["--outcome", "edss"], text)
    assert code == 0
    assert [(r["id"], r["event_type"], r["total_fu"]) for r in rows(out)] == [("A", "CDW", "201")]


def test_it_refuses_an_edss_above_ten(capsys):
    code, out = run_command(["--outcome", "edss"], "id,date,edss\nA,2020-01-01,11\n")
    assert (code, out) == (2, "")
    assert "EDSS" in capsys.readouterr().err


def test_it_reads_days_as_numbers_with_the_day_format():
    text = "id,date,edss\nA,0,2.0\nA,100,3.0\nA,201,3.0\n"
    code, out = run_command(["--outcome", "edss", "--date-format", "day"], text)
    assert code == 0
    assert rows(out)[0]["time2event"] == "100"


def test_it_writes_the_summary_table_on_request():
    code, out = run_command(["--outcome", "edss", "--summary"], WORSENING)
    assert code == 0
    assert rows(out) == [
        {"id": "A", "event_sequence": "CDW", "CDI": "0", "CDW": "1", "RAW": "0", "PIRA": "0"}
    ]


def test_it_scores_a_custom_measure_with_a_fixed_threshold():
    text = "id,date,grip\nA,2020-01-01,40\nA,2020-04-10,30\nA,2020-07-20,31\n"
    argv = ["--outcome", "custom", "--worsening", "decrease", "--delta", "5"]
    code, out = run_command(argv, text)
    assert code == 0
    assert rows(out)[0]["event_type"] == "CDW"


@pytest.mark.parametrize(
    ("flags", "kwargs"),
    [
        ([], {}),
        (["--event", "multiple", "--baseline", "roving", "--raw-pira"],
         {"event": "multiple", "baseline": "roving", "RAW_PIRA": True}),
        (["--event", "multiple", "--conf-days", "84", "168", "--conf-tol-days", "7", "30",
          "--relapse-to-conf", "60", "15", "--require-sust-days", "120"],
         {"event": "multiple", "conf_days": [84, 168], "conf_tol_days": [7, 30],
          "relapse_to_conf": [60, 15], "require_sust_days": 120}),
        (["--event", "firstPIRA", "--baseline", "roving", "--relapse-indep-prec", "0", "none",
          "--relapse-indep-event", "none", "30", "--relapse-indep-prec-type", "last"],
         {"event": "firstPIRA", "baseline": "roving",
          "relapse_indep": {"prec": (0, None), "event": (None, 30), "conf": (90, 30),
                            "prec_type": "last"}}),
    ],
)  # fmt: skip
def test_it_matches_pymsprog_on_its_toy_data(flags, kwargs):
    visits, relapses = (
        TOY_DATA / "MSprog_toydata_visits.csv",
        TOY_DATA / "MSprog_toydata_relapses.csv",
    )
    argv = [str(visits), "--relapses", str(relapses), "--outcome", "edss", *flags]
    code, out = run_command(argv)
    assert code == 0
    toy_visits, toy_relapses = pymsprog.load_toy_data()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, expected = pymsprog.MSprog(
            toy_visits, "id", "EDSS", "date", "edss", relapse=toy_relapses, verbose=0, **kwargs
        )
    got = [
        (r["id"], r["nevent"], r["event_type"], r["time2event"], r["sust_days"]) for r in rows(out)
    ]
    want = [
        (str(r.id), str(r.nevent), r.event_type, str(int(r.time2event)),
         "" if r.sust_days != r.sust_days else str(int(r.sust_days)))
        for r in expected.itertuples()
    ]  # fmt: skip
    assert got == want
