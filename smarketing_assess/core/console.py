"""What the command line says to the consultant, in the console's language.

Every message, warning, prompt and help text a consultant reads on the console is a text of
`templates/console.yaml`, written in English there and translated in the same catalogs as the
reports (`templates/i18n/<language>.yaml`, keys `console.messages.<area>.<name>`). `say(key)`
picks it in the console's language: `--lang` when a command is given one, else the language of
the client whose folder the command reads, else the system's locale, else English.

The language is a context variable: a command sets it once (`speak`), and every layer that
reports a problem (reading a file, checking a plan, the model's own checks) says it in that
language without being handed it. The reports' sentences are not here: they are chosen after
the seam, from `core/catalogs.py`, which the model never reads.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.translations import Localized, fill, load_template, localized_nodes, match_language, pick
from smarketing_assess.core.yamlfile import load_yaml

_language: ContextVar[str] = ContextVar("console_language", default="en")


def console_language() -> str:
    """The language the console speaks now."""
    return _language.get()


def speak(language: str) -> None:
    """Say every later message in `language` (a code `languages()` holds, as `language_code` returns)."""
    _language.set(language)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Say the messages of a block in `language`, then go back to the language before."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def messages() -> dict[str, Localized]:
    """Every console message, by its key below `messages` (`problems.row`), in every language (the
    catalogs read and checked against the English)."""
    data = load_template("console")
    return {key.removeprefix("console.messages."): dict(node)
            for key, node in localized_nodes(data["messages"], ["console", "messages"])}


@cache
def english() -> dict[str, Localized]:
    """Every console message in English alone: what a command speaking English needs, without reading
    the other languages' catalogs (a third of a second at every start)."""
    data = load_yaml(templates_dir() / "console.yaml")
    return {key.removeprefix("console.messages."): {"en": node["en"]}
            for key, node in localized_nodes(data["messages"], ["console", "messages"])}


def _texts(language: str) -> dict[str, Localized]:
    return english() if language == "en" else messages()


def say(key: str, **values: Any) -> str:
    """The console message `key` in the console's language, filled in."""
    language = console_language()
    return fill(pick(_texts(language)[key], language), **values)


def say_in(language: str, key: str, **values: Any) -> str:
    """The console message `key` in a given language (a respondent's form, a client's folder)."""
    return fill(pick(_texts(language)[key], language), **values)


def say_count(key: str, count: int, **values: Any) -> str:
    """The message `key.one` or `key.other`, as `count` is one or not, with `{count}` filled in."""
    return say(f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)


# ------------------------------------------------------------------ which language


@cache
def available() -> list[str]:
    """The languages the toolkit speaks: English and every language with a catalog (named by its file,
    not read: a command that only checks a code reads no catalog)."""
    return ["en", *sorted(path.stem for path in (templates_dir() / "i18n").glob("*.yaml"))]


# a language's name as people type it, in the languages the toolkit speaks: never taken for the code
# (a report's language is chosen on purpose), only suggested
_NAMES = {
    "pt-BR": ("portugues", "português", "portuguese", "portugués", "portoghese", "brasil", "brazil", "brasileiro",
              "pt", "br"),
    "es": ("espanol", "español", "spanish", "castellano", "spagnolo", "espanhol"),
    "it": ("italiano", "italian"),
    "en": ("english", "ingles", "inglés", "inglese", "inglês"),
}


def language_code(value: str) -> str:
    """The language a code names, whatever its case or separator; ValueError saying which codes
    there are, and the nearest one when the code looks like a typing slip (`pt`, `ptbr`, `es-ES`)."""
    codes = available()
    found = match_language(value, codes)
    if found is not None:
        return found
    wanted = value.strip().replace("_", "-").casefold()
    near = [c for c in codes if c.casefold().split("-")[0] == wanted.split("-")[0]]
    near = near or [c for c, names in _NAMES.items() if c in codes and wanted in names]
    if not near:
        folded = {c.casefold().replace("-", ""): c for c in codes}
        near = [folded[m] for m in difflib.get_close_matches(wanted.replace("-", ""), list(folded), n=1, cutoff=0.6)]
    message = say("language.unknown", found=value, codes=", ".join(codes))
    if near:
        message += " " + say("language.did_you_mean", code=near[0])
    raise ValueError(message)


def system_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language of the system's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, `LANGUAGE`, as gettext
    reads them), when the toolkit speaks it: `pt_BR.UTF-8` is pt-BR, `es_MX` is es."""
    env = os.environ if environ is None else environ
    codes = available()
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        setting = env.get(name, "")
        for item in setting.split(":") if name == "LANGUAGE" else [setting]:
            code = item.split(".")[0].split("@")[0]
            if not code or code in ("C", "POSIX"):
                continue
            found = match_language(code, codes) or match_language(code.replace("_", "-").split("-")[0], codes)
            if found is not None:
                return found
        if setting:
            return None  # the first variable set decides, as gettext has it
    return None


# ------------------------------------------------------------------ click's own words

# Click asks gettext for its own words (usage, option errors); these are the ones a consultant
# meets, each with the console text that says it. The English is click's own.
CLICK_WORDS = {
    "Usage:": "click.usage",
    "Options": "click.options",
    "Commands": "click.commands",
    "Show this message and exit.": "click.help",
    "Show the version and exit.": "click.version",
    "Try '{command} {option}' for help.": "click.try_help",
    "Error: {message}": "click.error",
    "Missing argument": "click.missing_argument",
    "Missing option": "click.missing_option",
    "Missing parameter": "click.missing_parameter",
    "Missing command.": "click.missing_command",
    "No such command {name!r}.": "click.no_command",
    "No such option {name!r}.": "click.no_option",
    "Option {name!r} does not take a value.": "click.no_value",
    "Invalid value for {param_hint}: {message}": "click.invalid_for",
    "Invalid value: {message}": "click.invalid",
    "Aborted!": "click.aborted",
    "default: {default}": "click.default",
    "required": "click.required",
    "{value!r} is not a valid {number_type}.": "click.not_number",
    "{value} is not in the range {range}.": "click.out_of_range",
    "{name} {filename!r} does not exist.": "click.path_missing",
    "{name} {filename!r} is a file.": "click.path_is_file",
    "{name} {filename!r} is a directory.": "click.path_is_folder",
    "Repeat for confirmation": "click.repeat",
    "Error: The two entered values do not match.": "click.no_match",
    "Error: invalid input": "click.invalid_input",
    "Choose from:\n\t{choices}": "click.choose",
}
CLICK_PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "click.extra",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "click.did_you_mean",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): "click.needs_value",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "click.not_choice",
}


def click_gettext(message: str) -> str:
    """Click's word in the console's language (its own English when there is no text for it)."""
    key = CLICK_WORDS.get(message)
    if key is None or console_language() == "en":
        return message
    return pick(messages()[key], console_language())


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """Click's counted word in the console's language."""
    key = CLICK_PLURALS.get((singular, plural))
    if key is None or console_language() == "en":
        return singular if n == 1 else plural
    return pick(messages()[f"{key}.{'one' if n == 1 else 'other'}"], console_language())


def teach_click() -> None:
    """Make click say its own words through the console's catalog (click calls gettext's `_` and
    `ngettext` by the names its modules imported)."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
