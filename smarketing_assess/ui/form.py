"""The questionnaire as an ipywidgets form, built from the question bank.

`QuestionnaireForm` is the form itself: the questions one team answers, grouped by
dimension, with a widget suited to each kind (a five-point agreement scale, a single
choice, a number). Two views use it:

- `Workshop`, in JupyterLab (`notebooks/questionnaire.ipynb`): the consultant saves one
  respondent after another, and can list, correct and delete what is stored;
- respondents on their own use the web form `smarketing-assess collect` serves (`ui.web`),
  a plain HTML page built from the same question bank.

Every element a browser test or a stylesheet needs has a CSS class: `sa-form`,
`sa-question q-<question id>`, `sa-save`, `sa-message`, `sa-team`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from smarketing_assess.config.questionnaire import TEAMS, Question, QuestionBank, load_question_bank
from smarketing_assess.core.catalogs import pick, text
from smarketing_assess.core.console import say, speaking
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import notebook_target
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.reading import collected
from smarketing_assess.reading.numbers import language_decimal

STYLE = """<style>
.sa-form { max-width: 52rem; }
.sa-question { margin: 0.4rem 0 0.8rem 0; padding: 0.3rem 0.6rem; border-left: 3px solid transparent; }
.sa-question.sa-missing { border-left-color: #b3261e; background: #fdf2f1; }
.sa-question .widget-radio-box { flex-direction: row; flex-wrap: wrap; gap: 0 1.2rem; }
.sa-message { min-height: 1.5rem; }
</style>"""


class QuestionnaireForm:
    """The questions of one team as widgets; `widget` is what to display."""

    def __init__(self, bank: QuestionBank, team: str, language: str = "en", submit_label: str | None = None):
        if team not in TEAMS:
            raise ValueError(say("answers.unknown_team", found=repr(team), options=", ".join(TEAMS)))
        self.bank, self.team, self.language = bank, team, language
        self.fields: dict[str, w.ValueWidget] = {}
        self.boxes: dict[str, w.Box] = {}
        sections: list[w.Widget] = []
        for dim in bank.dimensions:
            questions = [q for q in bank.in_dimension(dim.id) if q.asked_of(team)]
            if not questions:
                continue
            heading = w.HTML(f"<h3>{html.escape(pick(dim.name, language))}</h3>"
                             f"<p>{html.escape(pick(dim.description, language))}</p>")
            sections.append(w.VBox([heading, *(self._field(q) for q in questions)]))
        self.message = w.HTML().add_class("sa-message")
        self.save_button = w.Button(description=submit_label or text("form.save", language),
                                    button_style="primary", layout=w.Layout(width="auto")).add_class("sa-save")
        team_name = pick(bank.teams[team], language)
        self.widget = w.VBox([
            w.HTML(STYLE + f"<h2>{html.escape(text('form.for_team', language, team=team_name))}</h2>"
                   f"<p>{html.escape(text('form.intro', language))}</p>"),
            *sections, self.message, self.save_button,
        ]).add_class("sa-form")

    def _field(self, q: Question) -> w.Box:
        mark = " *" if collected.required(q) else ""
        label = w.HTML(f"<b>{html.escape(pick(q.text, self.language))}</b>{mark}")
        control: w.ValueWidget
        if q.kind == "scale":
            labels = pick(q.scale_labels or {}, self.language).split("|")
            control = w.RadioButtons(options=[(lab, n) for n, lab in enumerate(labels, start=1)], value=None,
                                     layout=w.Layout(width="auto"))
        elif q.kind == "choice":
            control = w.RadioButtons(options=[(pick(o.label, self.language), o.value) for o in q.options],
                                     value=None)
        else:
            unit = f" {pick(q.unit, self.language)}" if q.unit else (" %" if q.kind == "percent" else "")
            hint = text("form.number_range", self.language, low=f"{q.min:g}", high=f"{q.max:g}") + unit
            control = w.Text(placeholder=hint, layout=w.Layout(width="18rem"))
        self.fields[q.id] = control
        box = w.VBox([label, control]).add_class("sa-question").add_class(f"q-{q.id}")
        self.boxes[q.id] = box
        return box

    def answers(self) -> dict[str, Any]:
        """The answers given so far (unanswered questions are left out)."""
        out = {}
        for qid, control in self.fields.items():
            value = control.value
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                out[qid] = value
        return out

    def set_answers(self, answers: dict[str, Any]) -> None:
        """Fill the widgets from stored answers; a question without a valid stored answer is left blank."""
        for qid, control in self.fields.items():
            value = answers.get(qid)
            if isinstance(control, w.Text):
                control.value = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
            else:
                control.value = value if value in {v for _, v in control.options} else None

    def clear(self) -> None:
        """Empty every answer and take the marks off questions shown as missing."""
        self.set_answers({})
        for box in self.boxes.values():
            box.remove_class("sa-missing")

    def check(self) -> dict[str, Any] | None:
        """The answers in stored form, or None after showing what is missing or wrong."""
        from smarketing_assess.ui.web import said_to_respondent

        clean, problems = collected.check_answers(self.bank, self.team, self.answers(),
                                                  decimal=language_decimal(self.language))
        bad = {p.question for p in problems}
        for qid, box in self.boxes.items():
            (box.add_class if qid in bad else box.remove_class)("sa-missing")
        if not problems:
            return clean
        missing = [pick(self.bank.question(p.question).text, self.language) for p in problems if p.missing]
        wrong = [said_to_respondent(self.bank, p, self.language) for p in problems if not p.missing]
        parts = []
        if missing:
            parts.append(text("form.required", self.language, questions="; ".join(missing)))
        if wrong:
            parts.append(text("form.invalid", self.language, problems="; ".join(wrong)))
        self.show(" ".join(parts), error=True)
        return None

    def show(self, message: str, error: bool = False) -> None:
        """Show a message under the form, in red for an error, in green otherwise."""
        colour = "#b3261e" if error else "#1b5e20"
        self.message.value = f'<p style="color:{colour}"><b>{html.escape(message)}</b></p>'


def _language(client_dir: Path, language: str | None) -> str:
    if language:
        return language
    from smarketing_assess.config.client import load_client

    return load_client(client_dir / "client.yaml").language


class Workshop:
    """The consultant's view in JupyterLab: save one respondent after another for a team, and
    list, correct or delete the stored responses of the period."""

    def __init__(self, client_dir: str | Path = "", period: str = "", team: str = "sales", language: str | None = None,
                 ask_names: bool = False):
        folder, quarter = notebook_target(client_dir, period)
        self.period_dir = folder / str(quarter)
        self.period = str(quarter)
        self.language = _language(folder, language)
        self.bank = load_question_bank()
        self.editing: str | None = None
        # names only when the consultant asks for them; they stay in the stored file, never in a report
        self.name = w.Text(description=text("form.label", self.language), style={"description_width": "initial"},
                           layout=w.Layout(width="36rem", display="" if ask_names else "none"))
        self.form = self._new_form(team)
        self.listing = w.Select(rows=8, layout=w.Layout(width="40rem"))
        self.summary = w.HTML()
        self.correct_button = w.Button(description=text("form.correct", self.language))
        self.delete_button = w.Button(description=text("form.delete", self.language), button_style="danger")
        self.correct_button.on_click(lambda _: self.correct(self.listing.value))
        self.delete_button.on_click(lambda _: self.delete(self.listing.value))
        self._armed: str | None = None  # a delete waits for a second click
        self.manager = w.VBox([self.summary, self.listing, w.HBox([self.correct_button, self.delete_button])])
        self.widget = w.VBox([self.form.widget, self.name, w.HTML("<hr>"), self.manager])
        self.refresh()

    def _new_form(self, team: str) -> QuestionnaireForm:
        form = QuestionnaireForm(self.bank, team, self.language)
        form.save_button.on_click(lambda _: self.save())
        return form

    def _swap_form(self, team: str) -> None:
        self.form = self._new_form(team)
        self.widget.children = (self.form.widget, *self.widget.children[1:])

    def save(self) -> Path | None:
        """Store the respondent's answers (in place of the one being corrected, if any) and clear the form.

        Returns the file written, or None when the answers were incomplete or invalid (the form says why).
        """
        answers = self.form.check()
        if answers is None:
            return None
        if self.period_dir.resolve().is_relative_to(examples_dir().resolve()):  # the toolkit's own files
            self.form.show(text("workshop.example", self.language, folder=str(self.period_dir.parent)), error=True)
            return None
        try:
            with speaking(self.language):  # said to whoever fills in the form, in its language
                path = collected.save(self.period_dir, self.bank, self.form.team, answers, via="notebook",
                                      language=self.language, replaces=self.editing,
                                      label=self.name.value.strip() or None)
        except InputError as exc:
            self.form.show("; ".join(p.message for p in exc.problems), error=True)
            return None
        done = text("form.replaced" if self.editing else "form.saved", self.language, id=path.stem)
        self.editing = None
        self.form.clear()
        self.name.value = ""
        self.form.show(done)
        self.refresh()
        return path

    def refresh(self) -> None:
        """Reread the period's stored responses into the summary line and the list."""
        items = collected.stored(self.period_dir)
        self.summary.value = "<p>" + html.escape(
            text("form.stored", self.language, period=self.period, count=len(items)) if items
            else text("form.none_stored", self.language)) + "</p>"
        self.listing.options = [(text("form.listed", self.language, id=s.id, team=pick(self.bank.teams[s.team],
                                                                                       self.language),
                                      submitted=s.submitted, count=s.answered, via=s.via)
                                 + (f" · {s.label}" if s.label else ""), s.id) for s in items]

    def correct(self, rid: str | None) -> None:
        """Load a stored response into the form (switching to its team) for the next save to replace it."""
        if not rid:
            return
        data = collected.load(collected.folder_of(self.period_dir) / f"{rid}.json")
        if data["team"] != self.form.team:
            self._swap_form(data["team"])
        self.form.clear()
        self.form.set_answers(data["answers"])
        self.name.value = str(data.get("label", ""))
        self.editing = rid
        team_name = pick(self.bank.teams[data["team"]], self.language)
        self.form.show(text("form.editing", self.language, id=rid, team=team_name))

    def delete(self, rid: str | None) -> None:
        """Take a stored response out of the period (kept under `deleted/`) on the second click for it;
        the first asks for confirmation."""
        if not rid:
            return
        if self._armed != rid:
            self._armed = rid
            self.delete_button.description = text("form.confirm_delete", self.language, id=rid)
            return
        self._armed = None
        self.delete_button.description = text("form.delete", self.language)
        collected.delete(self.period_dir, rid)
        if self.editing == rid:
            self.editing = None
            self.form.clear()
        self.form.show(text("form.deleted", self.language, id=rid))
        self.refresh()
