"""The `celltrace` command answers batch work line by line, whatever a bad line holds."""

import json
import os
import subprocess
import sys

import pytest


def _celltrace(*args, stdin="", env=None):
    return subprocess.run(
        [sys.executable, "-m", "celltrace.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=env,
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


@pytest.mark.parametrize("command", [["serve"], ["setup", "--no-input"], ["manage", "check"]])
def test_a_bad_setting_is_one_line_on_stderr_not_a_traceback(command, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELLTRACE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(CELLTRACE_DATA_DIR=str(tmp_path), CELLTRACE_SECRET_KEY="too-short")

    result = _celltrace(*command, env=env)

    assert result.returncode == 1
    assert result.stderr.startswith(
        "celltrace: CELLTRACE_SECRET_KEY must be at least 50 characters"
    )
    assert len(result.stderr.splitlines()) == 1
