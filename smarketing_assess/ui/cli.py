"""The `smarketing-assess` command: a thin layer over the package's public functions."""

from __future__ import annotations

import dataclasses
import errno
import os
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from smarketing_assess import __version__
from smarketing_assess.core.console import (
    console_language,
    language_code,
    say,
    say_count,
    speak,
    speaking,
    system_language,
    teach_click,
)
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Month, Period, client_above, latest_period, parent_of, periods, quarter_named
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.running.execute import (
    ReportError,
    ReportExists,
    RunResult,
    refresh_progress,
    run_baseline,
    run_progress,
)

if TYPE_CHECKING:
    from smarketing_assess.records.assessment import Assessment

# The assessment modules (pandas, matplotlib) are imported inside the commands that need
# them: `run` starts its notebook kernel first, so that both load at the same time.

EXIT_INVALID = 1


def _period(client_dir: Path, value: str | None) -> Period:
    """The period asked for, the quarter folder the command was given, or the latest period folder of the client."""
    folder = _folder_quarter()
    if value:
        try:
            asked = Period.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from None
        if folder is not None and asked != folder:
            raise click.BadParameter(say("folders.other_period", period=str(asked), folder_period=str(folder)),
                                     param_hint="--period")
        return asked
    if folder is not None:
        return folder
    latest = latest_period(client_dir)
    if latest is None:
        raise click.UsageError(say("cli.no_period_folder", folder=client_dir))
    return latest


def _import_period(client_dir: Path, value: str | None, new_quarter: bool) -> Period:
    """The period an import writes into: refused when it comes more than one quarter after the
    client's latest (a mistyped --period), unless started on purpose with --new-quarter."""
    quarter = _period(client_dir, value)
    if not new_quarter:
        from smarketing_assess.running.clients import new_quarter_refused

        if (why := new_quarter_refused(client_dir, quarter)) is not None:
            raise click.BadParameter(why, param_hint="--period")
    return quarter


def _fail(exc: InputError) -> None:
    """The problems of an input, said in the console's language, and the command's end (status 1)."""
    click.echo(str(exc), err=True)
    click.echo(exc.closing, err=True)
    sys.exit(EXIT_INVALID)


def _number(value: float, digits: int = 0) -> str:
    """A figure written as the console's language writes numbers (1.234 in pt-BR, 1,234 in English), with
    exactly `digits` decimals (20.615,50)."""
    from smarketing_assess.presenting.formatting import number

    return number(value, console_language(), digits)


def _count(key: str, count: int, **values: object) -> str:
    """The console text `key.one` or `key.other`, as `count` is one or not, the count written as the
    console's language writes numbers."""
    return say(f"{key}.{'one' if count == 1 else 'other'}", count=_number(count), **values)


def _speak_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`--lang`: checked once for every command, and the language the console speaks from here on."""
    if value is None:
        return None
    try:
        found = language_code(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    if param.name and ctx.get_parameter_source(param.name) is click.core.ParameterSource.DEFAULT:
        return found  # a default (the questionnaire's English) is no choice of the console's language
    ctx.meta["language.given"] = True
    speak(found)
    return found


def _speak_client_language(ctx: click.Context, folder: Path) -> None:
    """The console speaks the client's language once its folder is named, unless `--lang` said otherwise."""
    if ctx.meta.get("language.given"):
        return
    from smarketing_assess.running.clients import client_language

    if (language := client_language(folder)) is not None:
        speak(language)


def _client_folder(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """A client folder that exists and holds client.yaml, or a quarter folder of one (then the client is the
    folder above, and the quarter is the command's period); otherwise what to do instead."""
    if not value.is_dir():
        raise click.BadParameter(say("folders.no_folder", folder=str(value)))
    if (value / "client.yaml").is_file():
        _speak_client_language(ctx, value)
        return value
    if os.path.lexists(value / "client.yaml") or bool(periods(value)):
        # a client folder whose client.yaml is missing, or is a folder, a FIFO or a link: invalid input (1),
        # named by the reader that refuses it
        from smarketing_assess.config.client import load_client

        try:
            load_client(value / "client.yaml")
        except InputError as exc:
            _fail(exc)
    client = client_above(value)
    if client is not None:
        _speak_client_language(ctx, client)
        quarter = quarter_named(value)
        if quarter is not None and client == parent_of(value):
            ctx.meta[_QUARTER_FOLDER] = quarter
            click.echo(say("folders.quarter_folder", folder=str(value), period=str(quarter), client=str(client)),
                       err=True)
            return client
        raise click.BadParameter(say("folders.inside_client", folder=str(value), client=str(client)))
    raise click.BadParameter(say("folders.not_client", folder=str(value)))


_QUARTER_FOLDER = "smarketing_assess.quarter_folder"  # the quarter a command was given as its folder


def _folder_quarter() -> Period | None:
    """The quarter the command was given as its folder (`validate .` in `acme/2026-Q1`), or None."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(_QUARTER_FOLDER) if ctx is not None else None
    return found if isinstance(found, Period) else None


client_dir_arg = click.argument("client_dir", type=click.Path(file_okay=False, path_type=Path),
                                callback=_client_folder)
period_opt = click.option("--period")
reports_opt = click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path))


def _reports(client_dir: Path, reports_dir: Path | None) -> Path:
    """The reports folder given, or the client's: `reports/` beside the client folder."""
    from smarketing_assess.core.storage import default_reports

    return reports_dir if reports_dir is not None else default_reports(client_dir)
new_quarter_opt = click.option("--new-quarter", is_flag=True)
lang_opt = click.option("--lang", "language", callback=_speak_language)
quiet_opt = click.option("--quiet", is_flag=True)
pdf_opt = click.option("--no-pdf", "no_pdf", is_flag=True)


class _Commands(click.Group):
    """The command group: a full disk or a refused permission ends a command with a message,
    never a traceback (every multi-file write leaves the files as they were on failure)."""

    def main(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        """Speak the system's language until a command's `--lang` or client says otherwise, click's
        own words included; the commands' help goes back to English after (as the module left it)."""
        teach_click()
        try:
            with speaking(system_language() or "en"):
                localize_help(self, console_language())
                return super().main(*args, **kwargs)  # type: ignore[call-overload]
        finally:
            localize_help(self, "en")

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            known = {errno.ENOSPC: "cli.no_space", errno.EACCES: "cli.no_permission", errno.EPERM: "cli.no_permission",
                     errno.EROFS: "cli.read_only"}
            reason = say(known[exc.errno]) if exc.errno in known else exc.strerror or str(exc)
            click.echo(say("cli.os_error_file", reason=reason, file=exc.filename) if exc.filename else
                       say("cli.os_error", reason=reason), err=True)
            sys.exit(EXIT_INVALID)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with the whole first sentence of its help, wrapped, never cut off."""
        _list_commands(self, ctx, formatter)


class _SubCommands(click.Group):
    """A group of sub-commands (`plan`, `questionnaire`), listed like the main one."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _list_commands(self, ctx, formatter)


def _list_commands(group: click.Group, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    rows = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is not None and not cmd.hidden:
            rows.append((name, cmd.get_short_help_str(limit=10_000)))
    if rows:
        with formatter.section(say("click.commands")):
            formatter.write_dl(rows)


def localize_help(command: click.Command, language: str, path: str = "") -> None:
    """Every help text and prompt of `command` and the commands below it, in `language`, from the
    console texts `help.<command path>` (the command), `help.<command path>.<parameter>` (an option)
    or else `help.common.<parameter>` (an option several commands share), and `….<parameter>.prompt`.
    Run in English when the module is imported (the commands carry no text of their own: the
    English lives in templates/console.yaml alone), and in the console's language by `main`."""
    from smarketing_assess.core.console import english, say_in

    known = english()  # the same keys in every language
    name = path or "main"
    if f"help.{name}" in known:
        command.help = say_in(language, f"help.{name}")
    helper = getattr(command, "_help_option", None)  # click keeps the --help option it made for a command
    if isinstance(helper, click.Option):
        helper.help = say_in(language, "click.help")
    for param in command.params:
        if param.name == "version" and isinstance(param, click.Option):
            param.help = say_in(language, "click.version")
        key = f"help.{name}.{param.name}"
        if isinstance(param, click.Option) and key not in known and f"help.common.{param.name}" in known:
            key = f"help.common.{param.name}"
        if isinstance(param, click.Option) and key in known:
            param.help = say_in(language, key)
        if isinstance(param, click.Option) and param.prompt and f"{key}.prompt" in known:
            param.prompt = say_in(language, f"{key}.prompt")
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            localize_help(sub, language, f"{path}.{sub_name}" if path else sub_name.replace("-", "_"))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smarketing-assess")
def main() -> None:
    """`smarketing-assess`; its help is `help.main` in templates/console.yaml."""


@main.command()
@client_dir_arg
@period_opt
def validate(client_dir: Path, period: str | None) -> None:
    """`validate`; its help is `help.validate` in templates/console.yaml."""
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.running.notebooks import presentation
    from smarketing_assess.running.pipeline import load_inputs

    p = _period(client_dir, period)
    problems, warnings = [], []
    try:
        _client, inputs = load_inputs(client_dir, p, load_question_bank())
    except InputError as exc:
        problems, warnings = exc.problems, exc.warnings
    try:  # what the report shows beside the figures: the brand and the quarter's commentary
        presentation(Path(client_dir), p)
    except InputError as exc:
        # client.yaml is read by both: a problem of it is listed once (the inputs name it from the client folder)
        listed = {dataclasses.replace(q, file=str(Path(client_dir) / q.file)) for q in problems}
        problems = [*problems, *(q for q in exc.problems if q not in listed)]
    if problems:
        for w in warnings:
            click.echo(say("cli.warning", warning=w))
        _fail(InputError(problems, warnings))
    for w in inputs.warnings:
        click.echo(say("cli.warning", warning=w))
    from smarketing_assess.reading import collected

    if line := collected.links_summary(Path(client_dir) / str(p)):
        click.echo(line)
    n = len(inputs.warnings)
    click.echo(_count("cli.valid_warnings", n, folder=client_dir, period=p) if n else
               say("cli.valid", folder=client_dir, period=p))


@main.command("assess")
@client_dir_arg
@period_opt
@click.option("--output", "-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True)
def assess_cmd(client_dir: Path, period: str | None, out: Path | None, force: bool) -> None:
    """`assess`; its help is `help.assess` in templates/console.yaml."""
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.presenting.summary import summary_text
    from smarketing_assess.running.notebooks import compared
    from smarketing_assess.running.pipeline import assess
    from smarketing_assess.running.store import save_assessment

    p = _period(client_dir, period)
    try:
        # compared with the quarter before as `run` compares it: from the stored reports, where current
        result = compared(client_dir, assess(client_dir, p), _reports(client_dir, None))
    except InputError as exc:
        _fail(exc)
    click.echo(summary_text(result, load_question_bank()))
    click.echo("")
    try:
        saved = save_assessment(result, out, _reports(client_dir, None), force=force)
    except FileExistsError as exc:
        click.echo(say("cli.error", message=exc), err=True)
        sys.exit(EXIT_INVALID)
    if saved.unchanged:
        click.echo(say("cli.unchanged", path=saved.path))
        return
    if saved.previous is not None:
        click.echo(say("cli.kept_file", path=saved.previous))
    click.echo(say("cli.wrote_file", path=saved.path))


@main.command("run")
@client_dir_arg
@period_opt
@reports_opt
@click.option("--force", is_flag=True)
@lang_opt
@quiet_opt
@pdf_opt
@click.option("--html-only", is_flag=True)
@click.option("--earlier-unsent", is_flag=True)
def run_cmd(client_dir: Path, period: str | None, reports_dir: Path | None, force: bool, language: str | None,
            quiet: bool, no_pdf: bool, html_only: bool, earlier_unsent: bool) -> None:
    """`run`; its help is `help.run` in templates/console.yaml."""
    result = _run(client_dir, _period(client_dir, period), _reports(client_dir, reports_dir), force, language, quiet,
                  paper=not no_pdf,
                  documents=not html_only, earlier_unsent=earlier_unsent)
    click.echo(result.report)


@main.command()
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True)
@click.option("--quiet", is_flag=True)
@pdf_opt
def demo(reports_dir: Path, quiet: bool, no_pdf: bool) -> None:
    """`demo`; its help is `help.demo` in templates/console.yaml."""
    client_dir = examples_dir() / "brightline-sensors"
    result = None
    for p in periods(client_dir):
        # the example is ours: a report from an older version of the toolkit is replaced, and kept
        with _reporting():  # a stored assessment that cannot be read is named, not a traceback
            force = _differs(client_dir, p, reports_dir)
        result = _run(client_dir, p, reports_dir, force=force, language=None, quiet=quiet, paper=not no_pdf)
    assert result is not None
    done = refresh_progress(client_dir, reports_dir, progress=not quiet, paper=not no_pdf)
    click.echo(say("cli.demo_progress", path=done.report))
    from smarketing_assess.running.execute import run_review
    from smarketing_assess.running.notebooks import latest_review_month

    month = latest_review_month(client_dir)
    if month is not None:  # the example's plan: the latest month reviewed against it
        try:
            review = run_review(client_dir, month, reports_dir, progress=not quiet, paper=not no_pdf)
        except ReportExists:
            review = run_review(client_dir, month, reports_dir, force=True, progress=not quiet, paper=not no_pdf)
        click.echo(say("cli.demo_review", path=review.report))
    for other in result.others:  # the PDF, the slides, the workbook
        if other.exists():
            click.echo(other)
    click.echo(result.report)


def _differs(client_dir: Path, period: Period, reports_dir: Path) -> bool:
    """True when a report of the period exists but its assessment is not current for the inputs
    (told by the inputs' checksums and the schema version, without assessing anything)."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.running import store

    slug = load_client(client_dir / "client.yaml").client_slug
    from smarketing_assess.running.execute import presentation_stamp

    folder = store.period_folder(reports_dir, slug, period)
    existing = folder / store.ASSESSMENT
    if not existing.is_file():
        return False
    return store.current(client_dir, period, existing)[0] is None or \
        store.presented(folder) != presentation_stamp(client_dir, period, load_client(client_dir / "client.yaml"))


def _run(client_dir: Path, period: Period, reports_dir: Path, force: bool, language: str | None,
         quiet: bool, paper: bool = True, documents: bool = True, earlier_unsent: bool = False) -> RunResult:
    with _reporting():
        result = run_baseline(client_dir, period, reports_dir, force=force, language=language, progress=not quiet,
                              paper=paper, documents=documents, earlier_unsent=earlier_unsent)
    if result.up_to_date:
        click.echo(say("cli.report_up_to_date", period=period), err=True)
    elif not result.assessed:
        click.echo(say("cli.rendered_stored", period=period), err=True)
    elif result.previous is not None:
        click.echo(say("cli.previous_report", period=period, path=result.previous), err=True)
    return result


@main.command("progress")
@client_dir_arg
@reports_opt
@click.option("--force", is_flag=True)
@lang_opt
@quiet_opt
@pdf_opt
@click.option("--earlier-unsent", is_flag=True)
def progress_cmd(client_dir: Path, reports_dir: Path | None, force: bool, language: str | None, quiet: bool,
                 no_pdf: bool, earlier_unsent: bool) -> None:
    """`progress`; its help is `help.progress` in templates/console.yaml."""
    with _reporting():
        result = run_progress(client_dir, _reports(client_dir, reports_dir), force=force, language=language,
                              progress=not quiet, paper=not no_pdf, earlier_unsent=earlier_unsent)
    if result.up_to_date:
        click.echo(say("cli.progress_up_to_date"), err=True)
    elif result.previous is not None:
        click.echo(say("cli.previous_progress", path=result.previous), err=True)
    if result.assessed_now:
        click.echo(say("cli.assessed_now", periods=", ".join(result.assessed_now)), err=True)
    click.echo(result.report)


def _quarter_range(first: str | None, last: str | None) -> tuple[Period | None, Period | None]:
    """The quarters of --from and --to; a range given the wrong way round is refused with the same
    command the right way round."""
    try:
        span = (Period.parse(first) if first else None, Period.parse(last) if last else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    if span[0] is not None and span[1] is not None and span[1] < span[0]:
        raise click.BadParameter(say("crm.range.reversed", first=span[0], last=span[1]) + ". " +
                                 say("crm.range.right_way", command=_command_swapped()), param_hint="--from/--to")
    return span


def _command_swapped() -> str:
    """The command being run, as it would be typed, with --from and --to swapped."""
    ctx = click.get_current_context()
    words = ["smarketing-assess", str(ctx.info_name)]
    swap = {"first": "last", "last": "first"}
    for param in ctx.command.params:
        value = ctx.params.get(swap.get(str(param.name), str(param.name)))
        if value is None or value is False or value == param.default:
            continue
        if isinstance(param, click.Argument):
            words.append(str(value))
            continue
        option = max(param.opts, key=len)
        words += [option] if value is True else [option, value.strftime("%Y-%m-%d") if isinstance(value, datetime)
                                                  else str(value)]
    return shlex.join(words)


@contextmanager
def _reporting() -> Iterator[None]:
    """What `run` and `progress` say when they cannot report: the problems in the inputs, the
    reason a report was not written, or a bad option."""
    try:
        yield
    except InputError as exc:
        _fail(exc)
    except ReportError as exc:
        click.echo(say("cli.error", message=exc), err=True)
        sys.exit(EXIT_INVALID)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@main.command("crm")
@client_dir_arg
@period_opt
@click.option("--leads", "leads", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--deals", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--activities", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_spec", default="auto", show_default=True)
@click.option("--force", is_flag=True)
@click.option("--history", is_flag=True)
@click.option("--from", "first")
@click.option("--to", "last")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@new_quarter_opt
def crm_cmd(client_dir: Path, period: str | None, leads: Path, deals: Path | None, activities: Path | None,
            mapping_spec: str, force: bool, history: bool, first: str | None, last: str | None,
            as_of: datetime | None, new_quarter: bool) -> None:
    """`crm`; its help is `help.crm` in templates/console.yaml."""
    if not period and _folder_quarter() is None:
        raise click.UsageError(say("crm.pass_period"))
    if (first or last) and not history:
        raise click.UsageError(say("crm.from_to_with_history"))
    if as_of is not None and history:
        raise click.UsageError(say("crm.as_of_history"))
    span = _quarter_range(first, last)
    from smarketing_assess.core.storage import Checksums

    checksums = Checksums([leads, deals, activities])  # hashed while the rest loads
    from smarketing_assess.presenting.crm import crm_text
    from smarketing_assess.running.crm import check_as_of, import_exports

    quarter = _import_period(client_dir, period, new_quarter)
    if as_of is not None:
        try:
            check_as_of(as_of.date(), quarter)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--as-of") from None
    try:
        done = import_exports(client_dir, quarter, leads, deals, activities, mapping_spec, force, checksums, history,
                              *span, as_of=as_of.date() if as_of else None)
    except InputError as exc:
        _fail(exc)
    except ValueError as exc:  # a range that runs backwards
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    except FileExistsError as exc:
        click.echo(say("crm.exists", files=str(exc)), err=True)
        sys.exit(EXIT_INVALID)
    if mapping_spec == "auto":
        click.echo(say("crm.auto", preset=done.mapping), err=True)
    click.echo(crm_text(done.figures, console_language()))
    if done.carried:
        click.echo(say("crm.carried", channels=", ".join(done.carried)))
    for k in done.kept:
        click.echo(say("crm.kept", file=k))
    for w in done.written:
        click.echo(say("crm.wrote", file=w))


@main.group("plan", cls=_SubCommands)
def plan_group() -> None:
    """`plan`; its help is `help.plan` in templates/console.yaml."""


def _assessor(client_dir: Path) -> Callable[[Period], Assessment]:
    from smarketing_assess.running.pipeline import assess

    return lambda period: assess(client_dir, period)


@plan_group.command("new")
@client_dir_arg
@period_opt
def plan_new_cmd(client_dir: Path, period: str | None) -> None:
    """`plan new`; its help is `help.plan.new` in templates/console.yaml."""
    from smarketing_assess.running.pipeline import assess
    from smarketing_assess.running.plans import new_plan

    try:
        path = new_plan(client_dir, assess(client_dir, _period(client_dir, period)))
    except InputError as exc:
        _fail(exc)
    except FileExistsError as exc:
        click.echo(say("plan.exists", path=str(exc)), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(say("plan.wrote_new", path=str(path)))


@plan_group.command("check")
@client_dir_arg
def plan_check_cmd(client_dir: Path) -> None:
    """`plan check`; its help is `help.plan.check` in templates/console.yaml."""
    from smarketing_assess.running.plans import check_client_plan

    try:
        done = check_client_plan(client_dir, _assessor(client_dir))
    except InputError as exc:
        _fail(exc)
    for w in done.checked.warnings:
        click.echo(say("plan.warning", warning=str(w)), err=True)
    if done.checked.errors:
        _fail(InputError(done.checked.errors))
    click.echo(say("plan.checked", path=str(done.path), goals=say_count("plan.goals", len(done.plan.active)),
                   warnings=say_count("plan.warnings", len(done.checked.warnings))))


@plan_group.command("agree")
@client_dir_arg
def plan_agree_cmd(client_dir: Path) -> None:
    """`plan agree`; its help is `help.plan.agree` in templates/console.yaml."""
    from smarketing_assess.running.plans import agree_plan, check_client_plan

    try:
        done = check_client_plan(client_dir, _assessor(client_dir))
    except InputError as exc:
        _fail(exc)
    try:
        kept = agree_plan(client_dir, done)
    except InputError as exc:  # each warning once: those that stop the agreement are among the problems
        for w in done.checked.warnings:
            if w not in exc.problems:
                click.echo(say("plan.warning", warning=str(w)), err=True)
        _fail(exc)
    for w in done.checked.warnings:
        click.echo(say("plan.warning", warning=str(w)), err=True)
    click.echo(say("plan.agreed", path=str(kept)))


@plan_group.command("metrics")
@client_dir_arg
@period_opt
def plan_metrics_cmd(client_dir: Path, period: str | None) -> None:
    """`plan metrics`; its help is `help.plan.metrics` in templates/console.yaml."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.presenting.texts import Words
    from smarketing_assess.running.pipeline import assess
    from smarketing_assess.running.plans import metrics_text

    try:
        client = load_client(Path(client_dir) / "client.yaml")
        click.echo(metrics_text(assess(client_dir, _period(client_dir, period)), Words.of(client.language,
                                                                                          client.currency)))
    except InputError as exc:
        _fail(exc)


# What `init` asks when an option is not given: (option, parameter, its question's console text, default)
_INIT_QUESTIONS = (
    ("--name", "name", "folders.ask.name", None),
    ("--currency", "currency", "folders.ask.currency", None),
    ("--language", "client_language", "folders.ask.language", "en"),
    ("--revenue-goal", "revenue_goal", "folders.ask.revenue_goal", None),
    ("--deal-size", "deal_size", "folders.ask.deal_size", None),
    ("--reps", "reps", "folders.ask.reps", None),
)


def _existing_client(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """`init` on a folder that already holds a client, or inside one (a quarter folder): refused before anything
    is asked, never nesting a client in a client (a new quarter of it is `quarter`'s)."""
    client = value if (value / "client.yaml").is_file() else client_above(value)
    if client is not None:
        period = ctx.params.get("period") or (str(q) if (q := quarter_named(value)) and client != value else None)
        command = f"smarketing-assess quarter {client}{' --period ' + period if period else ''}"
        click.echo(say("folders.client_exists", folder=str(client), command=command), err=True)
        ctx.exit(EXIT_INVALID)
    return value


def _ask(values: dict[str, object]) -> dict[str, object]:
    """The values of `init` not given as options, asked one by one; with no terminal to ask (the answers
    run out), a usage error naming every option still needed, before anything is written."""
    missing = [q for q in _INIT_QUESTIONS if values[q[1]] is None]
    answers = dict(values)
    for i, (_option, key, question, default) in enumerate(missing):
        try:
            answers[key] = click.prompt(say(question), default=default, type=int if key == "reps" else str)
        except click.Abort:
            if sys.stdin is not None and sys.stdin.isatty():
                raise  # Ctrl+C at a question
            needed = [o for o, _k, _q, d in missing[i:] if d is None]
            click.echo("", err=True)
            raise click.UsageError(say_count("folders.no_terminal", len(needed), options=", ".join(needed))) from None
    return answers


@main.command("init")
@click.argument("client_dir", type=click.Path(file_okay=False, path_type=Path), callback=_existing_client)
@click.option("--name")
@click.option("--currency")
@click.option("--language", "client_language")
@click.option("--revenue-goal")
@click.option("--deal-size")
@click.option("--reps", type=int)
@click.option("--period", is_eager=True)
def init_cmd(client_dir: Path, name: str | None, currency: str | None, client_language: str | None,
             revenue_goal: str | None, deal_size: str | None, reps: int | None, period: str | None) -> None:
    """`init`; its help is `help.init` in templates/console.yaml."""
    from datetime import date

    from smarketing_assess.core.period import period_of
    from smarketing_assess.running.clients import init_client

    try:
        quarter = Period.parse(period) if period else period_of(date.today())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    given: dict[str, object] = {"name": name, "currency": currency, "client_language": client_language,
                                "revenue_goal": revenue_goal, "deal_size": deal_size, "reps": reps}
    answers = _ask(given)
    values = {"name": answers["name"], "currency": answers["currency"], "language": answers["client_language"],
              "revenue_goal": answers["revenue_goal"], "average_deal_size": answers["deal_size"],
              "sales_reps": answers["reps"]}
    try:  # from here on, the client's language, once it is one the toolkit speaks (else client.yaml's check says so)
        speak(language_code(str(answers["client_language"])))
    except ValueError:
        pass
    try:
        written = init_client(client_dir, values, quarter)
    except InputError as exc:
        _fail(exc)
    except FileExistsError as exc:
        click.echo(say("folders.client_files_exist", folder=str(client_dir), files=str(exc)), err=True)
        sys.exit(EXIT_INVALID)
    for path in written:
        click.echo(say("folders.wrote", path=str(path)))
    click.echo(say("folders.init_next", period=str(quarter),
                   command=f"smarketing-assess validate {client_dir} --period {quarter}"))


@main.command("quarter")
@client_dir_arg
@click.option("--period")
@new_quarter_opt
def quarter_cmd(client_dir: Path, period: str | None, new_quarter: bool) -> None:
    """`quarter`; its help is `help.quarter` in templates/console.yaml."""
    from datetime import date

    from smarketing_assess.core.period import period_of
    from smarketing_assess.running.clients import new_quarter_refused, quarter_started, start_quarter

    latest = latest_period(client_dir)
    try:
        quarter = Period.parse(period) if period else latest.next() if latest else period_of(date.today())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    if quarter_started(client_dir, quarter):
        click.echo(say("quarter.exists", folder=str(client_dir / str(quarter)), period=str(quarter)), err=True)
        sys.exit(EXIT_INVALID)
    if not new_quarter and (why := new_quarter_refused(client_dir, quarter)) is not None:
        raise click.BadParameter(why, param_hint="--period")
    try:
        done = start_quarter(client_dir, quarter)
    except InputError as exc:
        _fail(exc)
    for path in done.written:
        click.echo(say("folders.wrote", path=str(path)))
    if done.channels:
        click.echo(say("quarter.carried", period=str(done.source), channels=", ".join(done.channels)))
    click.echo(say("quarter.next", collect=f"smarketing-assess collect {client_dir} --period {quarter}",
                   validate=f"smarketing-assess validate {client_dir} --period {quarter}"))


@main.command("publish")
@click.argument("notebook", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@reports_opt
@click.option("--force", is_flag=True)
@pdf_opt
def publish_cmd(notebook: Path, reports_dir: Path | None, force: bool, no_pdf: bool) -> None:
    """`publish`; its help is `help.publish` in templates/console.yaml."""
    from smarketing_assess.running.execute import publish

    try:
        done = publish(notebook, reports_dir, force=force, paper=not no_pdf)
    except InputError as exc:
        _fail(exc)
    except ReportError as exc:
        click.echo(say("cli.error", message=exc), err=True)
        sys.exit(EXIT_INVALID)
    if done.previous:
        click.echo(say("cli.kept_folder", path=done.previous))
    click.echo(str(done.report))


@main.command("review")
@client_dir_arg
@click.option("--month", required=True)
@reports_opt
@lang_opt
@click.option("--force", is_flag=True)
@quiet_opt
@pdf_opt
def review_cmd(client_dir: Path, month: str, reports_dir: Path | None, language: str | None, force: bool,
               quiet: bool, no_pdf: bool) -> None:
    """`review`; its help is `help.review` in templates/console.yaml."""
    from smarketing_assess.running.execute import run_review

    try:
        month = str(Month.parse(month))
    except ValueError:
        raise click.BadParameter(say("cli.bad_month", found=month), param_hint="--month") from None
    try:
        done = run_review(client_dir, month, _reports(client_dir, reports_dir), force=force, language=language,
                          progress=not quiet, paper=not no_pdf)
    except InputError as exc:
        _fail(exc)
    except ReportError as exc:
        click.echo(say("cli.error", message=exc), err=True)
        sys.exit(EXIT_INVALID)
    if done.up_to_date:
        click.echo(say("cli.review_up_to_date", month=month), err=True)
    if done.previous:
        click.echo(say("cli.kept_review", path=done.previous))
    click.echo(str(done.report))


@main.command("ads")
@client_dir_arg
@click.argument("exports", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--period")
@click.option("--platform", default="auto", show_default=True)
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--channel")
@click.option("--campaigns", "campaign_map", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def ads_cmd(client_dir: Path, exports: tuple[Path, ...], period: str | None, platform: str,
            mapping_file: Path | None, channel: str | None, campaign_map: Path | None) -> None:
    """`ads`; its help is `help.ads` in templates/console.yaml."""
    from smarketing_assess.config.ads import client_channels, load_ads_mapping
    from smarketing_assess.config.client import load_client
    from smarketing_assess.reading import ads

    quarter = _period(client_dir, period)
    try:
        campaigns = ads.load_campaign_map(campaign_map) if campaign_map else None
        mapping = load_ads_mapping(mapping_file) if mapping_file else None
        client_file = Path(client_dir) / "client.yaml"
        language = load_client(client_file).language if client_file.is_file() else "en"
        done = ads.import_ads(Path(client_dir) / str(quarter), quarter, list(exports), platform, campaigns,
                              mapping=mapping, channel=channel, channels=client_channels(Path(client_dir)),
                              language=language)
    except InputError as exc:
        _fail(exc)
    for read in done.reads:
        key = "ads.read_undated" if read.undated else "ads.read"
        click.echo(say(key, name=read.platform, rows=_number(read.rows), outside=_number(read.outside),
                       period=quarter))
    for c in done.totals.values():
        click.echo(say("ads.channel_sums", channel=c.channel, spend=_number(c.spend, 2), campaigns=len(c.campaigns),
                       rows=_number(c.rows), impressions=_number(c.impressions), clicks=_number(c.clicks),
                       leads=_number(c.leads)))
    for note in done.notes.values():
        click.echo(say("ads.note", note=note))
    if done.written is None:
        click.echo(say("ads.unchanged", path=Path(client_dir) / str(quarter) / "channels.csv"))
        return
    click.echo(say("ads.kept", path=done.kept))
    click.echo(say("ads.wrote", path=done.written))


@main.command("crm-history")
@client_dir_arg
@click.option("--leads", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--deals", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--activities", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--mapping", "mapping_spec", default="auto", show_default=True)
@click.option("--from", "first")
@click.option("--to", "last")
def crm_history_cmd(client_dir: Path, leads: Path, deals: Path | None, activities: Path | None, mapping_spec: str,
                    first: str | None, last: str | None) -> None:
    """`crm-history`; its help is `help.crm_history` in templates/console.yaml."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.model.crm import history_view
    from smarketing_assess.presenting.crm import history_heading, history_text
    from smarketing_assess.reading.crm import choose_mapping
    from smarketing_assess.running.crm import crm_history

    span = _quarter_range(first, last)
    try:
        client = load_client(Path(client_dir) / "client.yaml")
        mapping, name = choose_mapping(mapping_spec, leads)
        history = history_view(crm_history(mapping, leads, deals, activities, client.followup_sla_hours,
                                           first=span[0], last=span[1]))
    except InputError as exc:
        _fail(exc)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from/--to") from None
    click.echo(history_heading(history.span, name, console_language()))
    click.echo(history_text(history, console_language()))


@main.command("collect")
@client_dir_arg
@click.option("--period")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8866, show_default=True, type=int)
@click.option("--lang", "language", callback=_speak_language)
@click.option("--links", "new_links", multiple=True, metavar="TEAM=N")
@new_quarter_opt
def collect_cmd(client_dir: Path, period: str | None, host: str, port: int, language: str | None,
                new_links: tuple[str, ...], new_quarter: bool) -> None:
    """`collect`; its help is `help.collect` in templates/console.yaml."""
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.reading import collected
    from smarketing_assess.ui import web

    counts: dict[str, int] = {}
    bank = load_question_bank()
    for item in new_links:
        name, _, n = item.partition("=")
        team = "any" if name.strip().casefold() == "any" else bank.team_of(name) or name
        if team not in ("sales", "marketing", "leadership", "any") or not n.isdigit() or not 0 < int(n) <= 1000:
            raise click.BadParameter(say("cli.bad_links", found=item), param_hint="--links")
        counts[team] = counts.get(team, 0) + int(n)
    try:
        quarter = _import_period(client_dir, period, new_quarter)
        site = web.FormSite.of(client_dir, quarter, language)
    except (InputError, ValueError) as exc:
        if isinstance(exc, InputError):
            _fail(exc)
        raise click.BadParameter(str(exc), param_hint="--lang") from None
    if counts:
        collected.add_links(site.period_dir, counts)
    if not collected.links(site.period_dir):
        click.echo(say("cli.no_links"), err=True)
        sys.exit(EXIT_INVALID)
    sys.exit(web.serve(site, host, port, click.echo, stopped=lambda: _coverage(client_dir, site.period_dir)))


@main.group("questionnaire", cls=_SubCommands)
def questionnaire_group() -> None:
    """`questionnaire`; its help is `help.questionnaire` in templates/console.yaml."""


@questionnaire_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "md"]), required=True)
@click.option("--team", type=click.Choice(["sales", "marketing", "leadership"]))
@click.option("--lang", "language", callback=_speak_language)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def questionnaire_export(fmt: str, team: str | None, language: str | None, output: Path | None) -> None:
    """`questionnaire export`; its help is `help.questionnaire.export` in templates/console.yaml."""
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.core.storage import write_new
    from smarketing_assess.reading.form_tools import export

    output = output or Path(f"questionnaire{'-' + team if team else ''}.{fmt}")
    try:
        write_new(output, export(load_question_bank(), fmt, team, language or console_language()))
    except FileExistsError:
        click.echo(say("cli.export_exists", path=output), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(say("cli.wrote", path=output))


@questionnaire_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@client_dir_arg
@click.option("--period")
@click.option("--team", type=click.Choice(["sales", "marketing", "leadership"]))
@click.option("--map", "maps", multiple=True, metavar="'HEADER=QUESTION_ID'")
@new_quarter_opt
def questionnaire_import(file: Path, client_dir: Path, period: str | None, team: str | None, maps: tuple[str, ...],
                         new_quarter: bool) -> None:
    """`questionnaire import`; its help is `help.questionnaire.import` in templates/console.yaml."""
    from smarketing_assess.reading.form_tools import import_responses

    mapping: dict[str, str] = {}
    for item in maps:
        header, sep, qid = item.rpartition("=")
        if not sep or not header.strip() or not qid.strip():
            raise click.BadParameter(say("cli.bad_map", found=item), param_hint="--map")
        mapping[header.strip()] = qid.strip()
    folder = client_dir / str(_import_period(client_dir, period, new_quarter))
    try:
        done = import_responses(file, folder, team, mapping)
    except InputError as exc:
        _fail(exc)
    for warning in done.warnings:
        click.echo(say("cli.warning", warning=warning), err=True)
    click.echo(_count("cli.imported", len(done.stored), already=_number(len(done.already)), file=file,
                      folder=folder / "responses"))
    _coverage(client_dir, folder)


def _coverage(client_dir: Path, folder: Path) -> None:
    """How many of each team answered each question, over everything stored for the period."""
    from smarketing_assess.config.client import load_client
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.presenting.coverage import coverage_text
    from smarketing_assess.reading.form_tools import coverage

    bank = load_question_bank()
    threshold = load_client(client_dir / "client.yaml").anonymity_threshold or bank.scoring.anonymity_threshold
    try:
        rows = coverage(folder, bank, threshold)
    except InputError as exc:  # a stored file that cannot be read: `validate` lists it
        click.echo(say("cli.coverage_failed", summary=exc.summary), err=True)
        return
    click.echo(say("cli.coverage", period=folder.name))
    click.echo(coverage_text(rows, threshold))


@main.command("batch")
@click.argument("portfolio", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--period")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True)
@pdf_opt
def batch_cmd(portfolio: Path, period: str | None, jobs: int, reports_dir: Path | None, force: bool,
              no_pdf: bool) -> None:
    """`batch`; its help is `help.batch` in templates/console.yaml."""
    from tqdm import tqdm

    from smarketing_assess.running.batch import clients_in, result_lines, run_batch

    quarter = None
    if period:
        try:
            quarter = Period.parse(period)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from None
    clients = clients_in(portfolio)
    if not clients:
        click.echo(say("cli.no_clients", folder=portfolio), err=True)
        sys.exit(EXIT_INVALID)
    try:
        with tqdm(total=len(clients), unit=say("cli.bar_client"), desc=say("cli.bar_clients")) as bar:
            results = run_batch(portfolio, quarter, reports_dir or portfolio / "reports", jobs, force,
                                on_done=lambda _: bar.update(), paper=not no_pdf)
    except InputError as exc:
        _fail(exc)
    failed = [r for r in results if not r.ok]
    for line in result_lines(results):  # the index as the reports write it, in the console's language
        click.echo(line)
    if failed:
        sys.exit(EXIT_INVALID)


localize_help(main, "en")  # the English help, from templates/console.yaml like every other language
