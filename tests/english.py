"""Telling an English sentence on the console from a Portuguese, Spanish or Italian one.

`english_sentences(text)` is the lines of console output that read as English: after the values a
line quotes, its paths, file names, column names (snake_case), option and command names and
format codes are taken out, a
line is English when at least two distinct words of it are English words that are no word of
Portuguese, Spanish or Italian: function words ("the", "is", "with", "from", ...) and the words the
console says most ("wrote", "kept", "previous", ...). A translated line keeps a quoted English
channel name or a file name, never two of these. A short line all of whose words are such English
words ("Unchanged: <path>", "wrote <path>") is English too. Command and option names are the
toolkit's own and stay as they are in every language.
"""

from __future__ import annotations

import re

# English function words that are no word of pt, es or it ("a", "as", "do", "in", "no", "per",
# "so", "con", "me" are, and "it" is also a language code the console lists)
FUNCTION_WORDS = frozenset("""
    the is are was were be been being of and with not for from this that these those which has have
    had will would should must shall can could than then when what where who whose your you they
    their there here its into onto by at or an to up out all any every each only already after
    before because about over under between while why how does did done nothing something yet
    above below again also both either neither nor our we us him his her she them whom whether
""".split())

# words the console says that are no word of pt, es or it either (not "file", "report" or "team",
# which Italian uses; not the commands' names, which every language keeps)
CONSOLE_WORDS = frozenset("""
    wrote written kept previous folder rows read spend unchanged agreed warning warnings failed found
    expected missing quarter quarters nothing done exists replace choose another stored imported
    answers question questions respondents respondent clients campaigns impressions clicks counted used
    comes matches carried next fill left outside already invalid problem problems better worse
""".split())
ENGLISH = FUNCTION_WORDS | CONSOLE_WORDS

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|«[^»\n]*»|“[^”\n]*”")
_PATH = re.compile(r"\S*[/\\]\S*")  # a path: anything with a slash
_FILE = re.compile(r"\b[\w.-]+\.(?:csv|xlsx|json|yaml|yml|md|html|pdf|pptx|ipynb|txt|png)\b", re.IGNORECASE)
_OPTION = re.compile(r"(?<![\w-])--?[a-zA-Z][\w-]*(?:[ =][A-Z_=]+\b)?")
_CODE = re.compile(r"\b(?:YYYY-Qn|YYYY-MM|[A-Z][A-Z_]{2,}(?:=[A-Z_]+)?)\b")  # format codes, metavars (CLIENT_DIR)
_COMMAND = re.compile(r"smarketing-assess(?: [a-z-]+)*")
# a column or key as a file has it: followed_up, manual.<name>
_IDENTIFIER = re.compile(r"\b\w+_\w+\b|[\w<>]+(?:\.[\w<>]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _bare(line: str) -> str:
    """The line without what every language keeps as it is."""
    for pattern in (_COMMAND, _QUOTED, _PATH, _FILE, _OPTION, _CODE, _IDENTIFIER):
        line = pattern.sub(" ", line)
    return line


def words(line: str) -> list[str]:
    """The words of a line (folded), once what every language keeps is taken out."""
    return [m.casefold() for m in _WORD.findall(_bare(line))]


def is_english(line: str) -> bool:
    """Two distinct English words, or only English words."""
    found = words(line)
    english = {w for w in found if w in ENGLISH}
    return len(english) >= 2 or (bool(found) and all(w in ENGLISH for w in found))


def english_sentences(text: str) -> list[str]:
    """The lines of `text` that read as English (stripped), in order."""
    return [line.strip() for line in text.splitlines() if is_english(line)]
