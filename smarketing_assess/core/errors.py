"""Problems found in input files, collected so that every one is reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


FOUND_LIMIT = 120  # characters of a found value a message shows


def one_line(value: object, limit: int = FOUND_LIMIT) -> str:
    """`value` as text on one line of at most `limit` characters (cut with an ellipsis and its length)."""
    text = " ".join(str(value).split()) if "\n" in str(value) or "\r" in str(value) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in one place of one input file."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    found: str | None = None
    expected: str | None = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # what was found is shown on one line, however long or many-lined the value was
        if self.found is not None:
            object.__setattr__(self, "found", one_line(self.found))

    def __str__(self) -> str:
        # said in the console's language (core/console.py): the file, row and column stay as they are; a settings
        # file (YAML) has lines and fields where a table has rows and columns
        from smarketing_assess.core.console import say

        settings = Path(self.file).suffix.lower() in (".yaml", ".yml")
        where = self.file
        if self.row is not None:
            where += ", " + say("folders.line" if settings else "problems.row", row=self.row)
        if self.column is not None:
            where += ", " + say("folders.field" if settings else "problems.column", column=self.column)
        text = f"{where}: {self.message}"
        if self.found is not None:
            text += "; " + say("problems.found", found=repr(self.found))
        if self.expected is not None:
            text += "; " + say("problems.expected", expected=self.expected)
        return text


@dataclass
class ProblemLog:
    """Collects problems while a file is read; raises them together at the end."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str | Path, message: str, **where: object) -> None:
        """Record an error; `where` takes Problem's row, column, found and expected."""
        self.problems.append(Problem(str(file), message, severity="error", **where))  # type: ignore[arg-type]

    def warn(self, file: str | Path, message: str, **where: object) -> None:
        """Record a warning: reported to the consultant, but the file is still read."""
        self.problems.append(Problem(str(file), message, severity="warning", **where))  # type: ignore[arg-type]

    def extend(self, other: ProblemLog) -> None:
        """Take over every problem another log has collected, errors and warnings alike."""
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the file from being used, in the order found."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop the file from being used, in the order found."""
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Raise InputError with every error (and the warnings beside them) when there is any error."""
        if self.errors:
            raise InputError(self.errors, self.warnings)


class InputError(ValueError):
    """Raised when input files are invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__(self.problems)

    def __str__(self) -> str:
        # said when shown, in the console's language of that moment
        from smarketing_assess.core.console import say_count

        lines = [say_count("problems.header", len(self.problems))]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem], list[Problem]]]:
        # raised in a worker process (a batch, a parallel import), it arrives whole: its problems, not its text
        return (InputError, (self.problems, self.warnings))

    @classmethod
    def single(cls, file: str | Path, message: str, **where: object) -> InputError:
        """An error of one problem; `where` takes Problem's row, column, found and expected."""
        return cls([Problem(str(file), message, **where)])  # type: ignore[arg-type]

    @property
    def summary(self) -> str:
        """One line naming the first problem, where the list is not shown (a batch's line per client)."""
        from smarketing_assess.core.console import say

        more = len(self.problems) - 1
        return say("problems.summary", first=str(self.problems[0])) + (
            " " + say("problems.more", count=more) if more else "")

    @property
    def closing(self) -> str:
        """The last line of a command that stops on these problems (listed above it, each once)."""
        from smarketing_assess.core.console import say_count

        return say_count("problems.closing", len(self.problems))


def line_of(lines: dict[tuple[str | int, ...], int], at: tuple[str | int, ...]) -> int | None:
    """The line of `at`, or of its nearest parent that the file has (a missing key: its section's line)."""
    while at not in lines and at:
        at = at[:-1]
    return lines.get(at)
