"""One command-line style: every command and option explained in full sentences, one name for
an output file, one error prefix."""

from __future__ import annotations

import inspect
import re

import click
from click.testing import CliRunner

from smarketing_assess.core.console import messages, say_in
from smarketing_assess.ui import cli
from smarketing_assess.ui.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if isinstance(cmd, click.Group):
            out += commands(cmd, (*prefix, name))
    return out


ALL = commands(main)


def test_every_command_and_option_is_explained():
    assert len(ALL) >= 20
    for path, cmd in ALL:
        assert cmd.help, path
        short = cmd.get_short_help_str(limit=10_000)
        assert short.endswith(".") and not short.endswith("..."), (path, short)  # a whole sentence
        for p in cmd.params:
            if isinstance(p, click.Option) and p.name != "help":
                assert p.help, (path, p.name)


def test_the_command_list_never_cuts_a_sentence():
    for args in ([], ["plan"], ["questionnaire"]):
        shown = CliRunner().invoke(main, [*args, "--help"]).output
        assert "..." not in shown.split("Commands:")[1], args


def test_a_file_written_is_named_with_output_everywhere():
    for path, cmd in ALL:
        for p in cmd.params:
            if isinstance(p, click.Option) and isinstance(p.type, click.Path) and not p.type.exists \
                    and p.type.dir_okay is False and p.name in ("out", "output"):
                assert "--output" in p.opts and "-o" in p.opts, path


def test_one_error_prefix_and_one_warning_prefix():
    source = inspect.getsource(cli)
    assert not re.search(r"""echo\(f?["'](error|warning):""", source)  # "Error:", as click's own messages


def test_every_stop_on_a_refusal_says_error_first():
    source = inspect.getsource(cli)
    # each message printed just before exiting with status 1 starts with "Error:" (or lists problems first)
    for block in re.findall(r"(click\.echo\([^\n]*\n(?:[^\n]*\n)?)\s*sys\.exit\(EXIT_INVALID\)", source):
        if "failed" in block:  # batch: a line per client above, then the count of those that failed
            continue
        keys = re.findall(r'say\("([a-z_.]+)"', block)
        assert keys or 'echo(f"Error: ' in block or 'echo("Error: ' in block or "exc.closing" in block, block
        for key in keys:  # said in every language with that language's own "Error:" first
            for language, text in messages()[key].items():
                assert text.startswith(say_in(language, "cli.error", message="")), (key, language, text)


def test_the_questionnaire_export_takes_a_language_in_any_case(tmp_path):
    out = tmp_path / "q.md"
    done = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "--lang", "PT_br", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("# Questionário de alinhamento entre vendas e marketing")
