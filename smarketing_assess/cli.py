"""The `smarketing-assess` command: a thin layer over the package's public functions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from smarketing_assess import __version__
from smarketing_assess.assessment import assess, keep_previous, load_inputs, to_json, write_text_atomic
from smarketing_assess.errors import InputError
from smarketing_assess.period import Period
from smarketing_assess.questionnaire import load_question_bank
from smarketing_assess.summary import summary_text

EXIT_INVALID = 1


def _period(client_dir: Path, value: str | None) -> Period:
    """The period asked for, or the latest period folder of the client."""
    if value:
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from None
    found = []
    for p in client_dir.iterdir() if client_dir.is_dir() else []:
        try:
            found.append(Period.parse(p.name))
        except ValueError:
            continue
    if not found:
        raise click.UsageError(f"no period folder (YYYY-Qn) in {client_dir}; pass --period")
    return max(found)


def _fail(exc: InputError) -> None:
    click.echo(str(exc), err=True)
    click.echo(exc.summary, err=True)
    sys.exit(EXIT_INVALID)


client_dir_arg = click.argument("client_dir", type=click.Path(file_okay=False, path_type=Path))
period_opt = click.option("--period", help="Quarter to read, YYYY-Qn (default: the latest folder).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smarketing-assess")
def main() -> None:
    """Measure how well a client's sales and marketing teams work together."""


@main.command()
@client_dir_arg
@period_opt
def validate(client_dir: Path, period: str | None) -> None:
    """List every problem in a client's inputs for one period, or say all is well."""
    p = _period(client_dir, period)
    try:
        _client, inputs = load_inputs(client_dir, p, load_question_bank())
    except InputError as exc:
        for w in exc.warnings:
            click.echo(f"warning: {w}")
        _fail(exc)
    for w in inputs.warnings:
        click.echo(f"warning: {w}")
    n = len(inputs.warnings)
    note = f" ({n} warning{'s' if n != 1 else ''} above)." if n else "."
    click.echo(f"{client_dir} {p}: all inputs are valid{note}")


@main.command("assess")
@client_dir_arg
@period_opt
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write assessment.json (default: reports/<client>/<period>/assessment.json).")
@click.option("--force", is_flag=True, help="Replace an existing different file, keeping the old one beside it.")
def assess_cmd(client_dir: Path, period: str | None, out: Path | None, force: bool) -> None:
    """Assess one period and write assessment.json; prints a short summary."""
    p = _period(client_dir, period)
    try:
        result = assess(client_dir, p)
    except InputError as exc:
        _fail(exc)
    content = to_json(result)
    out = out or Path("reports") / result.client.slug / str(p) / "assessment.json"
    click.echo(summary_text(result, load_question_bank()))
    click.echo("")
    if out.exists() and out.read_text(encoding="utf-8") == content:
        click.echo(f"Unchanged: {out}")
        return
    if out.exists():
        if not force:
            click.echo(f"{out} already exists with different content; pass --force to replace it "
                       "(the old file is kept beside it).", err=True)
            sys.exit(EXIT_INVALID)
        kept = keep_previous(out)
        click.echo(f"Kept the previous file as {kept}")
    write_text_atomic(out, content)
    click.echo(f"Wrote {out}")
