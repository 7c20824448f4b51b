"""The tutorial's terminal sessions, run for real: `tests/test_docs.py` checks them, and this script
rewrites their outputs on purpose, after a command's messages changed.

    python tests/regenerate_tutorial.py           # run every session, rewrite the outputs in docs/tutorial.md
    python tests/regenerate_tutorial.py --check   # run them, list the outputs that differ, write nothing

Then review the diff of docs/tutorial.md as you would any change of wording.

A session is a ```console block of docs/tutorial.md (indented too, as inside a collapsible
`??? example` block). In it, a line starting with `$ ` is a command as the reader types it (a line
ending with ` \\` goes on on the next one), and the lines after it, up to the next command, are
what it printed. Every session of the page runs in order, in one empty folder that holds a copy of
docs/tutorial-files/ as `tutorial-files/`, as the tutorial asks the reader to make. A command is
`smarketing-assess` (run in this process, with the console in English), `mkdir` or `cp`; any other
is refused, and every command must succeed.

What a command prints is shown as a terminal leaves it, with one normalisation (`normalise`), the
only one the page and the test apply:

- a line rewritten in place (a progress bar) shows its last state, the text after its last `\\r`;
  the bar is ten blocks wide, its width where the output is no terminal (as here, whatever the
  terminal the script is started from);
- a progress bar's timings, such as `[00:01<00:00,  9.89cell/s]`, read `[…]`;
- today's date reads `<today>`, and the working folder's absolute path is left out, so that paths
  read relative to it;
- trailing spaces and trailing blank lines are dropped.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
FILES = ROOT / "docs" / "tutorial-files"
FILES_AS = "tutorial-files"  # the name the tutorial gives the folder of its files

# The console the outputs are shown in: English, whatever the machine's locale; 80 columns.
ENVIRONMENT = {"LANGUAGE": "en", "LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8",
               "COLUMNS": "80"}

_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```console[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
_TIMINGS = re.compile(r"\[\d+:\d+(?::\d+)?<[^\]\n]*\]")
TIMINGS_SHOWN = "[…]"
TODAY_SHOWN = "<today>"


@dataclass
class Step:
    """One command of a session, as the page shows it, and the output the page shows for it."""

    typed: list[str]  # the command's lines as written (without the block's indentation)
    shown: str  # the output the page shows, one "\n" after each line

    @property
    def command(self) -> str:
        """The command as one line, continuations joined."""
        return " ".join(line.removeprefix("$ ").removesuffix("\\").strip() for line in self.typed)


@dataclass
class Session:
    """A ```console block: where its body is in the page, its indentation, its steps."""

    start: int
    end: int
    indent: str
    steps: list[Step] = field(default_factory=list)


def sessions(text: str) -> list[Session]:
    """The console blocks of a page, in order, each parsed into commands and their outputs."""
    found = []
    for match in _BLOCK.finditer(text):
        indent = match["indent"]
        session = Session(match.start("body"), match.end("body"), indent)
        lines = [line.removeprefix(indent) for line in match["body"].splitlines()]
        i = 0
        if lines and not lines[0].startswith("$ "):
            raise ValueError(f"a console block must start with a `$ ` command: {lines[0]!r}")
        while i < len(lines):
            typed = [lines[i]]
            while typed[-1].endswith("\\") and i + 1 < len(lines):
                i += 1
                typed.append(lines[i])
            i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            session.steps.append(Step(typed, "".join(f"{line}\n" for line in output)))
        found.append(session)
    return found


def normalise(printed: str, folder: Path) -> str:
    """What a command printed, as the page shows it (the module's docstring lists each rule)."""
    for absolute in {str(folder), str(folder.resolve())}:
        printed = printed.replace(absolute + "/", "").replace(absolute, ".")
    printed = printed.replace(datetime.date.today().isoformat(), TODAY_SHOWN)
    lines = [_TIMINGS.sub(TIMINGS_SHOWN, line.rsplit("\r", 1)[-1]).rstrip() for line in printed.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(f"{line}\n" for line in lines)


class _Terminal:
    """A runner whose standard output and error are line-buffered, as on a terminal: each line
    reaches the screen when it ends, so that what goes to each stream shows in the order a terminal
    shows it (a progress bar's last line before the path printed after it)."""

    def __init__(self) -> None:
        from click.testing import CliRunner

        class Runner(CliRunner):
            @contextlib.contextmanager
            def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
                with super().isolation(*args, **kwargs) as streams:
                    for stream in (sys.stdout, sys.stderr):
                        stream.reconfigure(line_buffering=True)
                    yield streams

        self.runner = Runner(env=ENVIRONMENT)


class StepFailed(Exception):
    """A command of the tutorial did not succeed."""


def run(command: str, folder: Path) -> str:
    """Run one command of the tutorial in `folder` (the current directory meanwhile); what it printed."""
    words = shlex.split(command)
    with contextlib.chdir(folder):
        if words[0] == "smarketing-assess":
            from smarketing_assess.ui.cli import main

            result = _Terminal().runner.invoke(main, words[1:])
            if result.exit_code != 0:
                raise StepFailed(f"`{command}` ended with {result.exit_code}:\n{result.output}") from result.exception
            return result.output
        if words[0] == "mkdir" and len(words) == 2:
            Path(words[1]).mkdir()
            return ""
        if words[0] == "cp" and len(words) >= 3:
            target = Path(words[-1])
            for source in words[1:-1]:
                shutil.copy(source, target / Path(source).name if target.is_dir() else target)
            return ""
    raise StepFailed(f"`{command}`: the tutorial's sessions run smarketing-assess, `mkdir DIR` and `cp FILE... DEST`")


@contextlib.contextmanager
def working_folder(folder: Path | None = None) -> Iterator[Path]:
    """An empty folder with the tutorial's files copied in, as the tutorial's first step asks."""
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tutorial-")))
        shutil.copytree(FILES, folder / FILES_AS)
        yield folder


def walk(text: str, folder: Path) -> list[tuple[Step, str]]:
    """Run every command of the page's sessions in order in `folder`: each step with what it printed,
    normalised."""
    return [(step, normalise(run(step.command, folder), folder)) for session in sessions(text)
            for step in session.steps]


def rewritten(text: str, printed: list[str]) -> str:
    """The page with each session's outputs replaced by `printed` (one per step, in order)."""
    outputs = iter(printed)
    out, last = [], 0
    for session in sessions(text):
        lines = []
        for step in session.steps:
            output = next(outputs).splitlines()
            if any(line.startswith("$ ") for line in output):  # it would read as a command of the page
                raise StepFailed(f"`{step.command}` printed a line starting with `$ `; the page cannot show it")
            lines += step.typed + output
        out += [text[last:session.start], "".join(f"{session.indent}{line}".rstrip() + "\n" for line in lines)]
        last = session.end
    return "".join([*out, text[last:]])


def main(argv: list[str] | None = None) -> int:
    """Run the tutorial's sessions; rewrite their outputs, or with --check only list those that differ."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if an output differs")
    parser.add_argument("--record", type=Path, metavar="FOLDER",
                        help="run in FOLDER (empty), write nothing, print each command, the output the page shows "
                             "and the one it printed as JSON (the test runs the walk so, in a process of its own)")
    args = parser.parse_args(argv)
    text = TUTORIAL.read_text(encoding="utf-8")
    if args.record is not None:
        with working_folder(args.record) as folder:
            ran = walk(text, folder)
        print(json.dumps([{"typed": step.typed, "shown": step.shown, "printed": printed} for step, printed in ran]))
        return 0
    try:
        with working_folder() as folder:
            ran = walk(text, folder)
        page = rewritten(text, [printed for _, printed in ran])
    except StepFailed as exc:
        print(f"the tutorial stopped, nothing written: {exc}", file=sys.stderr)
        return 2
    differ = [step.command for step, printed in ran if printed != step.shown]
    for command in differ:
        print(f"{'differs' if args.check else 'rewritten'}: {command}")
    if not args.check and differ:
        if TUTORIAL.read_text(encoding="utf-8") != text:  # edited while the commands ran: keep the edit
            print("docs/tutorial.md changed while its commands ran; nothing written, run again", file=sys.stderr)
            return 2
        TUTORIAL.write_text(page, encoding="utf-8")
    print(f"{len(ran)} commands run, {len(differ)} outputs {'differ' if args.check else 'rewritten'}")
    return 1 if args.check and differ else 0

if __name__ == "__main__":
    sys.exit(main())
