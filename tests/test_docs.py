"""The README is a short front page and the documentation site under docs/ holds the rest: every page is in
the site's navigation, every relative link resolves, and every command the pages show is one the command line
has, with options it takes (so that the pages cannot drift from the commands)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import regenerate_tutorial as tutorial
import yaml

from smarketing_assess.ui.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
TUTORIAL = DOCS / "tutorial.md"
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
    comments cut), in console sessions and in inline code."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0]
            found += re.findall(r"smarketing-assess\s+[^&]*", line)
    found += [step.command for session in tutorial.sessions(text) for step in session.steps
              if step.command.startswith("smarketing-assess ")]
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


def test_the_tutorials_files_are_the_examples_figures() -> None:
    """The tutorial says its client's figures are the example's, and checks the report's figures by hand
    from them; the answers are the example's too, as a form tool exports them (the walk imports them)."""
    example = ROOT / "examples" / "brightline-sensors"
    files = tutorial.FILES
    for period in ("2026-Q1", "2026-Q2"):
        for name in ("funnel", "channels"):
            assert (files / f"{name}-{period}.csv").read_bytes() == (example / period / f"{name}.csv").read_bytes()
        # one row a respondent, under the header
        respondents = len((example / period / "responses.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert len((files / f"answers-{period}.csv").read_text(encoding="utf-8").splitlines()) - 1 == respondents
    # April and May: the quarter's file up to its third line (the header and two months)
    whole = (files / "funnel-2026-Q2.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert (files / "funnel-2026-Q2-april-may.csv").read_text(encoding="utf-8") == "".join(whole[:3])


def test_the_tutorials_sessions_are_read_and_written_back_as_they_stand() -> None:
    """The page is parsed into commands and outputs, and writing its own outputs back gives the same page."""
    text = TUTORIAL.read_text(encoding="utf-8")
    steps = [step for session in tutorial.sessions(text) for step in session.steps]
    assert tutorial.rewritten(text, [step.shown for step in steps]) == text
    # a command continued on the next line is one command, and an indented block (a collapsible one) counts
    assert steps[0].command == ("smarketing-assess init acme --period 2026-Q1 --name \"Acme Tools\" --currency EUR "
                                "--language en --revenue-goal 400000 --deal-size 15000 --reps 5")
    assert "smarketing-assess plan metrics acme --period 2026-Q1" in [step.command for step in steps]
    # a small page: two sessions, one indented; the outputs replaced, the rest kept
    page = "Run:\n\n```console\n$ a \\\n    b\nold\n$ c\n```\n\n??? example\n\n    ```console\n    $ d\n    ```\n"
    found = tutorial.sessions(page)
    assert [[(s.command, s.shown) for s in session.steps] for session in found] == [
        [("a b", "old\n"), ("c", "")], [("d", "")]]
    assert tutorial.rewritten(page, ["new\n", "", "x\n\ny\n"]) == (
        "Run:\n\n```console\n$ a \\\n    b\nnew\n$ c\n```\n\n"
        "??? example\n\n    ```console\n    $ d\n    x\n\n    y\n    ```\n")


def test_the_script_rewrites_the_outputs_that_differ_and_its_check_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "tutorial.md"
    monkeypatch.setattr(tutorial, "TUTORIAL", page)
    session = "$ mkdir out\n$ smarketing-assess questionnaire export --format md -o out/q.md\n"
    stale = f"Intro.\n\n```console\n{session}wrote something else\n```\n\nEnd.\n"
    page.write_text(stale, encoding="utf-8")
    assert tutorial.main(["--check"]) == 1
    assert page.read_text(encoding="utf-8") == stale
    assert tutorial.main([]) == 0
    assert page.read_text(encoding="utf-8") == f"Intro.\n\n```console\n{session}wrote out/q.md\n```\n\nEnd.\n"
    assert tutorial.main(["--check"]) == 0
    # a command that fails stops the run: nothing is written, and it says why
    failing = "```console\n$ smarketing-assess validate nowhere\nold\n```\n"
    page.write_text(failing, encoding="utf-8")
    assert tutorial.main([]) == 2
    assert page.read_text(encoding="utf-8") == failing
    # an output line that would read as a command of the page is refused
    with pytest.raises(tutorial.StepFailed, match="starting with `\\$ `"):
        tutorial.rewritten(stale, ["", "$ rm -r out\n"])


def test_what_a_command_printed_is_shown_as_a_terminal_leaves_it(tmp_path: Path) -> None:
    # a progress bar redrawn twice with "\r", then its last state: only the last is left, its timings as […];
    # the working folder's absolute path is left out; trailing spaces and blank lines are dropped
    printed = ("Acme 2026-Q1 report:   7%|▋         | 1/15 [00:00<00:06,  2.08cell/s]"
               "\rAcme 2026-Q1 report: 100%|██████████| 15/15 [00:01<00:00,  9.89cell/s]\n"
               f"{tmp_path}/reports/acme/report.html  \n\n")
    assert tutorial.normalise(printed, tmp_path) == (
        "Acme 2026-Q1 report: 100%|██████████| 15/15 […]\nreports/acme/report.html\n")
    # a slow cell's rate reads seconds per cell; an hour-long run has hours: the same placeholder
    assert tutorial.normalise("r: 10%|█ | 1/10 [00:02<00:19,  2.19s/cell]", tmp_path) == "r: 10%|█ | 1/10 […]\n"
    assert tutorial.normalise("[1:02:03<00:00, 1.00cell/s]", tmp_path) == "[…]\n"
    today = datetime.date.today().isoformat()
    assert tutorial.normalise(f"agreed: acme/plans/{today}.yaml", tmp_path) == "agreed: acme/plans/<today>.yaml\n"
    # only the tutorial's commands run: anything else is refused before it does anything
    with pytest.raises(tutorial.StepFailed, match="run smarketing-assess"):
        tutorial.run("rm -r tutorial-files", tmp_path)


# the commands run as a consultant runs them: each report's notebook in a kernel process of its own
@pytest.mark.kernel
# nbconvert, first imported here, imports bleach, whose filter for html5lib's deprecation names a module that
# does not match the one that warns
@pytest.mark.filterwarnings("ignore:html5lib's sanitizer is deprecated:DeprecationWarning")
def test_the_tutorial_shows_what_each_command_of_the_engagement_prints(tmp_path: Path) -> None:
    """Every command of the tutorial runs, in the page's order, in an empty folder holding the tutorial's
    files; each output the page shows is what the command printed (normalised as the page says)."""
    # the walk runs in a process of its own, as a reader's commands do: what earlier tests left in this
    # process (a progress bar's state among them) cannot change what the commands print
    done = subprocess.run([sys.executable, tutorial.__file__, "--record", str(tmp_path)], capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    ran = [(tutorial.Step(r["typed"], r["shown"]), r["printed"]) for r in json.loads(done.stdout)]
    folder = tmp_path
    verbs = [" ".join(step.command.split()[1:3 if step.command.split()[1] in ("plan", "questionnaire") else 2])
             for step, _ in ran if step.command.startswith("smarketing-assess")]
    # one engagement from init to the second quarter's progress report, each step once, in this order
    assert verbs == ["init", "questionnaire export", "questionnaire import", "validate", "run", "plan new",
                     "plan metrics", "plan check", "plan agree", "quarter", "review", "questionnaire import",
                     "validate", "run", "progress"]
    # what the page says was written, was: the full run's PDF, slides and workbook, each quarter's report, the
    # agreed plan under its date, the month's review and the progress report, each with its PDF
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {f"reports/acme-tools/2026-Q1/report.{ext}" for ext in ("html", "pdf", "pptx", "xlsx")} <= written
    assert {"questionnaire.md", "acme/plans/2026-04-20.yaml", "reports/acme-tools/2026-Q2/report.pdf",
            "acme/2026-Q2/responses.csv",  # `quarter` started the second quarter
            "reports/acme-tools/reviews/2026-05/review.pdf", "reports/acme-tools/progress.pdf"} <= written
    differ = [f"$ {step.command}\n--- the page shows\n{step.shown}--- it printed\n{printed}"
              for step, printed in ran if printed != step.shown]
    assert not differ, ("the tutorial's outputs are not what the commands print; if the change is meant, run "
                        "`python tests/regenerate_tutorial.py` and review the diff:\n" + "\n".join(differ))
