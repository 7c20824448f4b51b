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
