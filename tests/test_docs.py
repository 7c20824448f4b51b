"""The README is a short front page and the documentation site under docs/ holds the rest: every page is in
the site's navigation, every relative link resolves, and every command the pages show is one the command line
has, with options it takes (so that the pages cannot drift from the commands)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from smarketing_assess.ui.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(p for p in DOCS.rglob("*.md"))
DEMO = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/smarketing-assess demo"
TESTS = 'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest'


def _nav_pages(entries: list[object]) -> list[str]:
    out: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out.extend(_nav_pages(value) if isinstance(value, list) else [str(value)])
    return out


def test_readme_is_a_short_front_page_that_keeps_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    # the bound: a front page of at most 10 KB (the README was 62,528 bytes before the site)
    assert len(text.encode("utf-8")) <= 10_000
    # CI runs these two lines as they stand, each after the sentence that says what it does
    assert "Run the demo: the example client's baseline report" in text
    assert f"```sh\n{DEMO}\n```" in text
    before = "Run the tests (pytest, with nbval checking the notebooks' stored outputs):"
    assert f"{before}\n\n```sh\n{TESTS}\n```" in text
    assert text.index(DEMO) < text.index(TESTS) < text.index("](docs/tutorial.md)")
    assert "](docs/report.png)" in text


def test_every_page_is_in_the_navigation_and_every_entry_is_a_page() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    nav = _nav_pages(config["nav"])
    assert sorted(nav) == sorted(p.relative_to(DOCS).as_posix() for p in PAGES)
    # nothing on the site is fetched from another host when it is built or read
    assert config["theme"]["font"] is False
    assert "plugins" not in config or all("social" not in str(p) for p in config["plugins"])


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        target = (page.parent / link.split("#")[0]).resolve()
        assert target.is_file(), f"{page.name}: {link}"


def _commands(text: str) -> list[str]:
    """Every `smarketing-assess ...` command line of a page: in shell blocks (continued lines joined,
    comments cut) and in inline code."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0]
            found += re.findall(r"smarketing-assess\s+[^&]*", line)
    found += re.findall(r"`(smarketing-assess [^`]*)`", text.replace("\n", " "))
    return found


def _options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in param.opts if opt.startswith("--")} | {"--help"}


def test_every_command_shown_is_a_command_with_those_options() -> None:
    shown = [(page, line) for page in [README, *PAGES] for line in _commands(page.read_text(encoding="utf-8"))]
    # the tutorial alone shows init, collect, questionnaire, crm, ads, validate, run, plan, review and progress
    assert len(shown) > 60
    names = set()
    for page, line in shown:
        words = line.split()[1:]
        if words and words[0] in ("--help", "--version"):
            continue
        command = main.get_command(click.Context(main), words[0]) if words else None
        assert command is not None, f"{page.name}: {line}"
        commands = [command]
        if isinstance(command, click.Group):
            # `plan new|check|agree|metrics`: each of the alternatives is a sub-command
            commands = [command.get_command(click.Context(command), sub) for sub in words[1].split("|")]
            assert all(commands), f"{page.name}: {line}"
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
            assert any(option in _options(c) for c in commands if c), f"{page.name}: {option} in {line}"
        names.add(words[0])
    # every command of the command line is shown somewhere
    assert names == set(main.list_commands(click.Context(main)))


def test_the_outputs_the_tutorial_shows_are_what_the_commands_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command block followed by a `text` block shows that command's output, run from the project's folder."""
    from click.testing import CliRunner

    text = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    pairs = re.findall(r"```sh\n(smarketing-assess [^\n]*)\n```\n\n[^`]*```text\n(.*?)```", text, flags=re.S)
    # the example's check: `validate` of examples/brightline-sensors, 2026-Q1, which writes nothing
    assert [command for command, _ in pairs] == [
        "smarketing-assess validate examples/brightline-sensors --period 2026-Q1"]
    monkeypatch.chdir(ROOT)
    for command, shown in pairs:
        result = CliRunner().invoke(main, command.split()[1:])
        assert result.exit_code == 0, result.output
        assert result.output == shown
