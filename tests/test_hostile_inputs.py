"""Hostile and broken inputs: each gets the toolkit's own clear message, bounded in time and memory."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from smarketing_assess.config.client import load_client
from smarketing_assess.core.catalogs import YAML_LIMIT
from smarketing_assess.core.errors import InputError, Problem, one_line

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
name: *h
"""


def test_a_yaml_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text(BOMB, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_client(path)
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: no expansion
    problem = info.value.problems[0]
    assert problem.row == 2 and "alias (*a)" in problem.message


def test_a_settings_file_over_the_limit_is_not_read(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: x\n" + "# padding\n" * (YAML_LIMIT // 10 + 1), encoding="utf-8")
    with pytest.raises(InputError, match="too large for a settings file"):
        load_client(path)


def test_a_client_yaml_that_is_a_folder_is_named(tmp_path):
    (tmp_path / "client.yaml").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        load_client(tmp_path / "client.yaml")


def test_a_found_value_is_shown_on_one_short_line():
    long = "x" * 10_000 + "\ny"
    problem = Problem("f.csv", "not a number", row=3, column="leads", found=long)
    assert "\n" not in str(problem) and len(str(problem)) < 250
    assert problem.found == "x" * 120 + "… (10,002 characters)"
    assert one_line("short\nvalue") == "short value"


def test_every_shipped_settings_file_still_loads(bank):
    from smarketing_assess.config.benchmarks import load_benchmarks
    from smarketing_assess.config.crm_mapping import preset_names, resolve_mapping
    from smarketing_assess.config.playbook import load_playbook
    from smarketing_assess.core.resources import examples_dir

    load_benchmarks(), load_playbook()
    for preset in preset_names():
        resolve_mapping(preset)
    load_client(Path(examples_dir()) / "brightline-sensors" / "client.yaml")


def test_a_full_disk_during_crm_force_leaves_the_period_as_it_was(client, monkeypatch):
    import errno

    from click.testing import CliRunner

    from smarketing_assess.core import storage
    from smarketing_assess.core.storage import checksum
    from smarketing_assess.ui.cli import main
    from tests.test_crm import FIXTURES

    q1 = client / "2026-Q1"
    before = {p.name: checksum(p) for p in q1.iterdir() if p.is_file()}
    real, calls = storage._staged, []

    def full_after_one(path, content):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, content)

    monkeypatch.setattr(storage, "_staged", full_after_one)
    result = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1", "--leads",
                                       str(FIXTURES / "hubspot/contacts.csv"), "--deals",
                                       str(FIXTURES / "hubspot/deals.csv"), "--force"])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert "Traceback" not in result.output and "left as they were" in result.output
    assert {p.name: checksum(p) for p in q1.iterdir() if p.is_file()} == before  # nothing replaced, nothing added
    assert not [p for p in q1.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_leftovers_of_a_killed_run_are_removed_on_the_next(tmp_path):
    import os

    from smarketing_assess.core.storage import leftovers

    old_file, old_dir, live = tmp_path / ".funnel.csv.abc.tmp", tmp_path / ".2026-Q1.x7k2", tmp_path / ".progress.new"
    old_file.write_text("half")
    old_dir.mkdir()
    live.mkdir()
    (tmp_path / "funnel.csv").write_text("kept")
    for p in (old_file, old_dir):
        os.utime(p, (0, 0))
    assert sorted(leftovers(tmp_path)) == sorted([old_file, old_dir])
    assert live.exists() and (tmp_path / "funnel.csv").exists()  # a run in progress is left alone


@pytest.fixture
def client(tmp_path):
    import shutil

    from tests.conftest import EXAMPLE
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy
