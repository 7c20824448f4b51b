"""The questionnaire as files, for clients who collect answers with their own form tool.

`export` writes a blank questionnaire: Markdown to read or paste into a form builder, CSV
(one question a row, with its allowed answers), or an XLSX workbook to fill in directly,
one respondent a row, with drop-down lists and number ranges checked by the spreadsheet.

`read_export` reads what comes back: our XLSX, or the response export of Google Forms
(CSV), Microsoft Forms (XLSX) or Typeform (CSV). Columns are matched to questions by
their text (ignoring case, spacing and punctuation) or by question id; answers by their
label or value. The tools' own columns (timestamps, e-mail, name, response ids) are
ignored and never stored; any other column it cannot match is reported, and so is every
answer it cannot read, with its row and column.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from rapidfuzz import fuzz, process

from smarketing_assess.config.questionnaire import TEAMS, Question, QuestionBank, label_key
from smarketing_assess.core.catalogs import pick, report_texts, text
from smarketing_assess.core.console import console_language, say, say_count
from smarketing_assess.core.errors import InputError, Problem, ProblemLog
from smarketing_assess.core.spreadsheet import csv_text, xlsx_text
from smarketing_assess.reading.collected import check_answers, required
from smarketing_assess.reading.inputs import Table, norm_header, read_table
from smarketing_assess.reading.numbers import parse_number
from smarketing_assess.records.inputs import Coverage

FORMATS = ("xlsx", "csv", "md")
ROWS = 500  # respondent rows the XLSX checks

# columns form tools add to every export (normalised, see `_key`): never read, never stored
TOOL_COLUMNS = {
    # Google Forms
    "timestamp", "carimbo de data hora", "marca temporal", "informazioni cronologiche",
    "email address", "endereco de e mail", "direccion de correo electronico", "indirizzo email",
    "score", "pontuacao", "puntuacion", "punteggio",
    # Microsoft Forms
    "id", "start time", "completion time", "email", "name", "last modified time",
    "hora de inicio", "hora de conclusao", "hora de finalizacion", "ora di inizio", "ora di completamento",
    "nome", "nombre", "correo electronico", "posta elettronica",
    # Typeform
    "", "start date utc", "submit date utc", "network id", "tags", "response type", "stage", "ending",
    "token",
}


# of those, the columns that tell one submission from another (normalised): a response id, or
# when the submission was sent; they enter a respondent's fingerprint and are never stored
ID_COLUMNS = {"", "id", "response id", "network id"}
TIME_COLUMNS = {"timestamp", "carimbo de data hora", "marca temporal", "informazioni cronologiche",
                "completion time", "hora de conclusao", "hora de finalizacion", "ora di completamento",
                "submit date utc"}


def _team_question(language: str) -> str:
    return text("form.team_question", language)


def _allowed(q: Question, language: str) -> list[str]:
    if q.kind == "scale":
        return pick(q.scale_labels or {}, language).split("|")
    if q.kind == "choice":
        return [pick(o.label, language) for o in q.options]
    return []


def _range(q: Question, language: str) -> str:
    unit = f" ({pick(q.unit, language)})" if q.unit else (" (%)" if q.kind == "percent" else "")
    return text("form.number_range", language, low=_number(q.min, language), high=_number(q.max, language)) + unit


def _number(value: float | None, language: str) -> str:
    """A bound as the web form writes it, in the language's digits: 10.000.000, never 1e+07."""
    value = float(value or 0.0)
    return format_decimal(value, format="#,##0" if value.is_integer() else "#,##0.0", locale=language.replace("-", "_"))


def _questions(bank: QuestionBank, team: str | None) -> list[Question]:
    return bank.questions_for(team) if team else list(bank.questions)


# ---------------------------------------------------------------------- export

def export(bank: QuestionBank, fmt: str, team: str | None = None, language: str = "en") -> bytes:
    """A blank questionnaire (all questions, or one team's) in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if team is not None and team not in TEAMS:
        raise ValueError(f"unknown team {team!r}: expected one of {', '.join(TEAMS)}")
    return {"md": _markdown, "csv": _csv, "xlsx": _xlsx}[fmt](bank, team, language)


def _markdown(bank: QuestionBank, team: str | None, language: str) -> bytes:
    lines = [f"# {text('form.title', language)}", "", text("form.intro", language), ""]
    if team is None:
        teams = ", ".join(pick(bank.teams[t], language) for t in TEAMS)
        lines += [f"**{_team_question(language)}** *", "", f"- {teams.replace(', ', chr(10) + '- ')}", ""]
    n = 0
    for dim in bank.dimensions:
        questions = [q for q in _questions(bank, team) if q.dimension == dim.id]
        if not questions:
            continue
        lines += [f"## {pick(dim.name, language)}", ""]
        for q in questions:
            n += 1
            who = "" if team else " _(" + ", ".join(pick(bank.teams[t], language) for t in q.audience) + ")_"
            lines.append(f"{n}. **{pick(q.text, language)}**{' *' if required(q) else ''}{who}")
            lines += [f"   - {a}" for a in _allowed(q, language)] or [f"   - {_range(q, language)}"]
            lines.append("")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _csv(bank: QuestionBank, team: str | None, language: str) -> bytes:
    rows: list[list[object]] = [["id", "dimension", "question", "kind", "required", "teams", "allowed_answers"]]
    rows += [[q.id, pick(bank.dimension(q.dimension).name, language), pick(q.text, language), q.kind,
              "yes" if required(q) else "no", " | ".join(q.audience),
              " | ".join(_allowed(q, language)) or _range(q, language)] for q in _questions(bank, team)]
    return csv_text(rows).encode("utf-8")


def _xlsx(bank: QuestionBank, team: str | None, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(text("form.sheet_questions", language))
    allowed_sheet = sheet_name(text("form.sheet_allowed", language))
    lists = wb.create_sheet(allowed_sheet)
    quoted = "'" + allowed_sheet.replace("'", "''") + "'"
    questions = _questions(bank, team)
    # with every team's questions, each header says below the question who answers it, so that a
    # respondent leaves the others blank (the import reads the question alone)
    headers = [_team_question(language)] + [
        pick(q.text, language) + ("" if team else "\n" + text("form.answered_by", language, teams=", ".join(
            pick(bank.teams[t], language) for t in q.audience))) for q in questions]
    for j, header in enumerate(headers, start=1):
        xlsx_text(ws.cell(row=1, column=j), header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 90 if team else 110
    not_asked = PatternFill(start_color="D9D9D9", end_color="D9D9D9", fill_type="solid")
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 18
    last = ROWS + 1

    def listed(column: int, values: list[str], title: str) -> DataValidation:
        col = get_column_letter(column)
        xlsx_text(lists.cell(row=1, column=column), title)
        lists.cell(row=1, column=column).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            xlsx_text(lists.cell(row=i, column=column), v)
        rule = DataValidation(type="list", formula1=f"={quoted}!${col}$2:${col}${len(values) + 1}",
                              allow_blank=True, showErrorMessage=True)
        return rule

    team_labels = [pick(bank.teams[t], language) for t in ([team] if team else TEAMS)]
    rule = listed(1, team_labels, headers[0])
    rule.add(f"A2:A{last}")
    ws.add_data_validation(rule)
    if team:
        for r in range(2, last + 1):
            xlsx_text(ws.cell(row=r, column=1), team_labels[0])
    for j, q in enumerate(questions, start=2):
        col = get_column_letter(j)
        ws.column_dimensions[col].width = 24
        allowed = _allowed(q, language)
        if allowed:
            rule = listed(j, allowed, pick(q.text, language))
        else:
            rule = DataValidation(type="decimal", operator="between", formula1=f"{q.min:g}", formula2=f"{q.max:g}",
                                  allow_blank=True, showErrorMessage=True)
            rule.error = _range(q, language)
        rule.add(f"{col}2:{col}{last}")
        ws.add_data_validation(rule)
        if not team and set(q.audience) != set(TEAMS):  # greyed on the rows of a team not asked
            names = ",".join('"' + pick(bank.teams[t], language).replace('"', '""') + '"' for t in q.audience)
            ws.conditional_formatting.add(f"{col}2:{col}{last}", FormulaRule(
                formula=[f'AND($A2<>"",ISNA(MATCH($A2,{{{names}}},0)))'], fill=not_asked, stopIfTrue=True))
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SHEET_NAME = 31  # characters a worksheet's name may have
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(words: str) -> str:
    """`words` as a worksheet's name: without the characters a sheet's name may not hold, and
    shortened to 31 characters at a word's end, never in a word's middle."""
    name = " ".join(words.translate(_NOT_IN_SHEET_NAMES).replace("'", "’").split())
    while len(name) > SHEET_NAME and " " in name:
        name = name.rsplit(" ", 1)[0].rstrip(" ,;-–")
    return name[:SHEET_NAME]


# ---------------------------------------------------------------------- import

@dataclass(frozen=True)
class Imported:
    """One respondent read from a form tool's export."""

    respondent_id: str
    team: str
    answers: dict[str, Any]
    row: int
    answered: str | None = None  # when the form says it was sent, as the form wrote it


def read_export(path: Path, bank: QuestionBank, team: str | None = None,
                mapping: dict[str, str] | None = None) -> tuple[list[Imported], list[Problem]]:
    """The respondents of a form tool's export (or of our XLSX), and warnings.

    Columns are matched to questions by their text or id, or as `mapping` says (header ->
    question id, or "-" to leave the column out). A column that matches nothing but holds answers
    is an error with the question it most likely is (its answers would be lost otherwise); one
    that holds none is a warning. Raises InputError listing every header and answer that cannot
    be read, each named by the header as the form wrote it; nothing is returned then."""
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    if team is not None and team not in TEAMS:
        raise InputError.single(path, say("questionnaire.unknown_team"), found=team, expected=", ".join(TEAMS))
    mapping = {norm_header(h): qid for h, qid in (mapping or {}).items()}
    _check_mapping(table, mapping, bank, log)
    columns, team_column, unmatched = _match_columns(table, mapping, bank)
    language = _file_language(table, columns, team_column)
    by_text = _question_keys(bank)
    for header in unmatched:
        _unmatched(table, header, by_text, language, log)
    if not columns:
        raise InputError([*log.problems, Problem(table.file, say("questionnaire.no_column"), row=1,
                                                 expected=say("questionnaire.no_column_expected"))])
    if team is None and team_column is None:
        raise InputError.single(table.file, say("questionnaire.no_team"), row=1,
                                expected=say("questionnaire.no_team_expected",
                                             question=_team_question(language or console_language())))
    out = _respondents(table, bank, columns, team, team_column, language, log)
    log.raise_if_errors()
    return out, log.warnings


def _file_language(table: Table, columns: dict[str, Question], team_column: str | None) -> str | None:
    """The language the export is written in: the one whose wording most of its headers have (a
    question's text, the team question); None when no header is written in any (ids only)."""
    votes: dict[str, int] = {}
    for header, q in columns.items():
        key = label_key(_question_part(_shown(table, header) or header))
        for lang, wording in q.text.items():
            if label_key(wording) == key:
                votes[lang] = votes.get(lang, 0) + 1
    if team_column is not None:
        key = label_key(_shown(table, team_column) or team_column)
        for lang in _languages():
            if label_key(text("form.team_question", lang)) == key:
                votes[lang] = votes.get(lang, 0) + 1
    if not votes:
        return None
    most = max(votes.values())
    leading = [lang for lang, n in votes.items() if n == most]
    return leading[0] if len(leading) == 1 else None  # as many headers in two languages: unknown


def _question_part(header: str) -> str:
    """A header without the line our workbook adds below the question (who answers it)."""
    return header.replace("\r", "").split("\n")[0]


def team_word(bank: QuestionBank, team: str) -> str:
    """A team as a sentence of the console names it: its name in the console's language, in lower case."""
    return pick(bank.teams[team], console_language()).lower()


def team_names(bank: QuestionBank, language: str | None) -> str:
    """The teams as a respondent may write them: in `language`, or when it is unknown, in every
    language the questionnaire has (each team's names joined by " / ")."""
    if language is not None:
        return ", ".join(pick(bank.teams[t], language) for t in TEAMS)
    return ", ".join(" / ".join(dict.fromkeys(bank.teams[t][lang] for lang in sorted(bank.teams[t],
                                                                                      key=lambda x: x != "en")))
                     for t in TEAMS)


def _shown(table: Table, header: str | None) -> str | None:
    """A column named as the form wrote it."""
    return None if header is None else table.written.get(header, header)


def _check_mapping(table: Table, mapping: dict[str, str], bank: QuestionBank, log: ProblemLog) -> None:
    """An error for each --map that names a column the export lacks or a question the bank lacks,
    with the closest names it may have meant."""
    ids = [q.id for q in bank.questions]
    for header, qid in mapping.items():
        if header not in table.columns:
            close = process.extract(header, list(table.written.values()), scorer=fuzz.WRatio, limit=3,
                                    score_cutoff=50)
            log.error(table.file, say("questionnaire.map_no_column"), column=header,
                      expected=say("questionnaire.map_no_column_near", near=", ".join(repr(c[0]) for c in close))
                      if close else say("questionnaire.map_no_column_expected"))
        elif qid != "-" and qid not in ids:
            close = process.extract(qid, ids, limit=3, score_cutoff=50)
            log.error(table.file, say("questionnaire.map_no_question"), column=_shown(table, header), found=qid,
                      expected=say("questionnaire.map_no_question_near", near=", ".join(c[0] for c in close))
                      if close else say("questionnaire.map_no_question_expected"))


def _match_columns(table: Table, mapping: dict[str, str],
                   bank: QuestionBank) -> tuple[dict[str, Question], str | None, list[str]]:
    """The question each column holds (as --map says, or by its text or id), the team column, and
    the columns that match nothing (to report); the form tool's own columns are passed over."""
    ids = {q.id: q for q in bank.questions}
    by_text = _question_keys(bank)
    team_keys = {label_key(v) for lang in _languages() for v in (text("form.team_question", lang), "team")}
    columns: dict[str, Question] = {}
    unmatched: list[str] = []
    team_column = None
    for header in table.columns:
        k = label_key(header)
        question_key = label_key(_question_part(_shown(table, header) or header))
        if header in mapping:
            if mapping[header] in ids:
                columns[header] = ids[mapping[header]]
            continue  # "-": left out, as the consultant said
        if k in team_keys:
            team_column = header
        elif k in by_text:
            columns[header] = by_text[k]
        elif question_key in by_text:  # our workbook's header: the question, then who answers it
            columns[header] = by_text[question_key]
        elif not (k in TOOL_COLUMNS or k.startswith(("email", "e mail"))):
            unmatched.append(header)
    return columns, team_column, unmatched


def _unmatched(table: Table, header: str, by_text: dict[str, Question], language: str | None,
               log: ProblemLog) -> None:
    """A column that matches no question: ignored with a warning when it holds no answer, else an
    error naming the question it most likely is, as its answers would be lost (quoted in the
    export's language, or as the nearest wording has it when that is unknown)."""
    answered = sum(1 for rec in table.records if rec.get(header, "").strip())
    shown = _shown(table, header)
    if not answered:
        log.warn(table.file, say("questionnaire.unmatched_empty"), column=shown)
        return
    guess = _closest_question(header, by_text)
    if guess is not None:
        question, nearest = guess
        wording = pick(question.text, language) if language else nearest
        hint = say("questionnaire.did_you_mean", question=wording, id=question.id, header=shown)
    else:
        hint = say("questionnaire.give_with_map", header=shown)
    log.error(table.file, say_count("questionnaire.unmatched", answered), column=shown,
              expected=say("questionnaire.or_leave_out", hint=hint, header=shown))


def _respondents(table: Table, bank: QuestionBank, columns: dict[str, Question], team: str | None,
                 team_column: str | None, language: str | None, log: ProblemLog) -> list[Imported]:
    """Each row as a respondent of its team (or `team`), with the answers read and checked; an answer
    to a question not asked of the respondent's team is left out, with a warning per column and team."""
    file = table.file
    marks = [h for h in table.columns if label_key(h) in ID_COLUMNS | TIME_COLUMNS]
    when = next((h for h in table.columns if label_key(h) in TIME_COLUMNS), None)
    header_of = {q.id: h for h, q in columns.items()}
    out: list[Imported] = []
    seen: dict[str, int] = {}
    not_asked: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(table.records):
        row = table.rows[i]
        who = team or bank.team_of(rec.get(team_column or "", ""))
        if who is None:
            log.error(file, say("questionnaire.unknown_team"), row=row, column=_shown(table, team_column),
                      found=rec.get(team_column or ""), expected=team_names(bank, language))
            continue
        answers = _answers(table, i, who, columns, bank, language, log, not_asked)
        _, problems = check_answers(bank, who, answers, complete=False)
        for p in problems:
            log.error(file, p.message if p.question in header_of else str(p), row=row,
                      column=_shown(table, header_of.get(p.question)))
        out.append(Imported(_fingerprint(who, answers, [rec.get(h, "").strip() for h in marks], seen),
                            who, answers, row, rec.get(when, "").strip() or None if when else None))
    for (header, who), n in not_asked.items():
        log.warn(file, say_count("questionnaire.not_asked", n, team=team_word(bank, who)), column=_shown(table, header))
    return out


def _answers(table: Table, i: int, who: str, columns: dict[str, Question], bank: QuestionBank,
             language: str | None, log: ProblemLog, not_asked: dict[tuple[str, str], int]) -> dict[str, Any]:
    """One respondent's answers by question id: blank cells skipped, answers to questions not asked of
    their team counted in `not_asked`, an answer that is none of the question's an error."""
    rec, row = table.records[i], table.rows[i]
    answers: dict[str, Any] = {}
    for header, q in columns.items():
        cell = rec.get(header, "").strip()
        if not cell:
            continue
        if not q.asked_of(who):
            not_asked[(header, who)] = not_asked.get((header, who), 0) + 1
            continue
        value = _read_answer(q, cell, bank)
        if value is None:
            shown_in = language or console_language()  # answers are read in any language; said in the file's
            log.error(table.file, say("questionnaire.no_answer_match"), row=row,
                      column=_shown(table, header), found=cell,
                      expected=", ".join(_allowed(q, shown_in)) or _range(q, shown_in))
            continue
        answers[q.id] = value
    return answers


def _closest_question(header: str, by_text: dict[str, Question]) -> tuple[Question, str] | None:
    """The question a reworded header most likely is, and its nearest wording: the closest in any language."""
    found = process.extractOne(label_key(header), list(by_text), scorer=fuzz.token_set_ratio, score_cutoff=60)
    if not found:
        return None
    question = by_text[found[0]]
    wording = next((w for w in question.text.values() if label_key(w) == found[0]), pick(question.text, "en"))
    return question, wording


def _fingerprint(team: str, answers: dict[str, Any], marks: list[str], seen: dict[str, int]) -> str:
    """A respondent's id from what they sent, never from where it sits in a file: the team, the
    answers and the tool's response id and submission time (when the export has them), and,
    for a submission identical to an earlier one of the same file, its order among them. The
    same export saved under another name, re-sorted, or with rows added, gives the same ids."""
    content = "\x1f".join([team, *marks, *(f"{k}={v}" for k, v in sorted(answers.items()))])
    seen[content] = seen.get(content, 0) + 1
    identity = f"{content}\x1e{seen[content]}"
    return "i-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]


def _languages() -> list[str]:
    return sorted({lang for texts in report_texts().values() for lang in texts})


def _question_keys(bank: QuestionBank) -> dict[str, Question]:
    keys: dict[str, Question] = {}
    for q in bank.questions:
        keys[label_key(q.id)] = q
        for wording in q.text.values():
            keys[label_key(wording)] = q
    return keys


def _read_answer(q: Question, cell: str, bank: QuestionBank) -> Any:
    found = bank.answer_value(q.id, cell)
    if q.kind == "choice":
        return found
    if q.kind == "scale" and found is not None:
        return int(found)
    try:
        number = parse_number(cell, None, integer=q.kind == "scale")
    except ValueError:
        return None
    return int(number) if number.is_integer() else number



@dataclass(frozen=True)
class ImportDone:
    """What `import_responses` did: the files stored, the respondents skipped as imported before, and warnings."""

    stored: list[Path]
    already: list[str]  # respondents of an earlier import of the same export
    warnings: list[Problem]


def import_responses(path: Path, period_dir: Path, team: str | None = None,
                     mapping: dict[str, str] | None = None) -> ImportDone:
    """Read a form tool's export and store each respondent (see `collected`); every answer is
    checked before anything is stored, and a respondent imported before is not stored twice."""
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.reading import collected

    bank = load_question_bank()
    respondents, warnings = read_export(path, bank, team, mapping)
    stored, already = [], []
    for r in respondents:
        if (collected.folder_of(period_dir) / f"{r.respondent_id}.json").exists() \
                or any((collected.folder_of(period_dir) / sub / f"{r.respondent_id}.1.json").exists()
                       for sub in ("replaced", "deleted")):
            already.append(r.respondent_id)
            continue
        try:
            stored.append(collected.save(period_dir, bank, r.team, r.answers, via="import", complete=False,
                                         respondent_id=r.respondent_id, answered=r.answered))
        except FileExistsError:  # the same export imported at the same moment by another command
            already.append(r.respondent_id)
    return ImportDone(stored, already, warnings)


def coverage(period_dir: Path, bank: QuestionBank, threshold: int) -> list[Coverage]:
    """Answers per question and team over every response stored for the period (imported, collected
    or from responses.csv), each question flagged when nobody answered it or a team below `threshold`."""
    from smarketing_assess.reading.inputs import read_period_responses

    frame = read_period_responses(period_dir, bank)  # one row per answer
    answered = (frame.groupby(["question", "team"])["respondent"].nunique().to_dict() if len(frame) else {})
    out = []
    for q in bank.questions:
        counts: dict[str, int | None] = {t: int(answered.get((q.id, t), 0)) if q.asked_of(t) else None
                                         for t in TEAMS}
        given = [n for n in counts.values() if n is not None]
        flag = "none" if not any(given) else "thin" if any(0 < n < threshold for n in given) else ""
        out.append(Coverage(q.id, counts, flag))
    return out
