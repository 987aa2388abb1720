"""The `celltrace` command answers batch work line by line, whatever a bad line holds."""

import json
import subprocess
import sys


def _celltrace(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "celltrace.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_edss_answers_every_line_and_names_the_bad_one(tmp_path):
    good = {"id": "a", "visual": 0, "brainstem": 0, "pyramidal": 0, "cerebellar": 0,
            "sensory": 0, "bowel_bladder": 0, "cerebral": 0, "ambulation": 0}  # fmt: skip
    bad = {**good, "id": "b", "pyramidal": 9}
    path = tmp_path / "sheets.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")

    result = _celltrace("edss", str(path))

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"id": "a", "edss": 0.0}
    assert lines[1]["id"] == "b" and "pyramidal" in lines[1]["error"]
    assert result.returncode == 1


def test_isncsci_reads_standard_input():
    result = _celltrace("isncsci", stdin="not json\n")
    assert result.returncode == 1
    assert "error" in json.loads(result.stdout)


def test_without_a_command_it_shows_help():
    result = _celltrace()
    assert result.returncode == 2
    assert "demo" in result.stdout and "disability-course" in result.stdout
