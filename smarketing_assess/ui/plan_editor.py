"""The plan, edited in the workshop: an ipywidgets page beside the assessment's suggestions.

`PlanEditor` (in `notebooks/workshop_plan.ipynb`) shows every suggested goal with what the
assessment suggested beside the plan's own figures: the consultant accepts, changes or drops
each one, adds the client's own goals, names owners, fills in the SLA and who agreed, and
saves the same `plan.yaml` the command line and a text editor use. **Check** lists every
problem with its line; **Agree** keeps the saved plan under `plans/<date>.yaml`.

Saving replaces `plan.yaml` whole, keeping the version it replaces as `plan.previous-N.yaml`
(nothing is lost); comments written by hand in the file are not kept by a save from here.
Every element a test or a stylesheet needs has a CSS class: `sa-plan`, `sa-goal g-<id>`,
`sa-plan-save`, `sa-plan-check`, `sa-plan-agree`, `sa-plan-message`.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from smarketing_assess.config.client import load_client
from smarketing_assess.config.metrics import direction, unit_of
from smarketing_assess.config.plan import FIRST_CONTACT_SHARE, PLAN_FILE, Plan, load_plan, pydantic_problems
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.console import speaking
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period, notebook_target
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.plan import metric_facts
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.running.pipeline import assess
from smarketing_assess.running.plans import agree_plan, check_client_plan, plan_text, save_plan

STATUSES = ("proposed", "accepted", "changed", "dropped", "added")
TEAMS = ("marketing", "sales", "joint", "leadership")


class _GoalRow:
    """One goal's widgets: what was suggested (read only) beside what the plan says."""

    def __init__(self, editor: PlanEditor, data: dict[str, Any]):
        self.data = data
        t = editor.t
        suggested = data.get("suggested") or {}
        self.title = w.Text(value=data.get("title") or "", placeholder=t("workshop.title"),
                            layout=w.Layout(width="24rem", display="" if data["status"] == "added" else "none"))
        self.status = w.Dropdown(options=[(t(f"workshop.status.{s}"), s) for s in STATUSES], value=data["status"],
                                 layout=w.Layout(width="10rem"))
        self.target = w.FloatText(value=float(data["target"]), layout=w.Layout(width="8rem"))
        self.deadline = w.DatePicker(value=_date(data["deadline"]), layout=w.Layout(width="10rem"))
        owner = data.get("owner") or {}
        self.team = w.Dropdown(options=[(t(f"review.side.{s}"), s) for s in TEAMS], value=owner.get("team", "joint"),
                               layout=w.Layout(width="9rem"))
        self.person = w.Text(value=owner.get("person") or "", placeholder=t("workshop.person"),
                             layout=w.Layout(width="12rem"))
        unit = unit_of(data["metric"], data.get("unit")) or "number"
        words = editor.words
        hint = (t("workshop.suggested", target=words.show(suggested["target"], unit),
                  deadline=words.day(str(suggested["deadline"]))) if suggested else t("workshop.own_goal"))
        heading = w.HTML(f"<strong>{html.escape(editor.goal_title(data))}</strong><br>"
                         f"<span class='sa-hint'>{html.escape(words.metric(data['metric']))} · "
                         f"{html.escape(hint)}</span>")
        self.widget = w.VBox([heading, self.title, w.HBox([self.status, self.target, self.deadline, self.team,
                                                           self.person])]).add_class("sa-goal").add_class(
            f"g-{data['id']}")

    def value(self) -> dict[str, Any]:
        """The goal as the plan file holds it."""
        out = dict(self.data)
        out.update(status=self.status.value, target=self.target.value,
                   deadline=self.deadline.value.isoformat() if self.deadline.value else None,
                   owner={"team": self.team.value, **({"person": self.person.value.strip()}
                                                      if self.person.value.strip() else {})})
        if self.title.value.strip():
            out["title"] = self.title.value.strip()
        return out


class PlanEditor:
    """The workshop's plan page; `widget` is what to display."""

    def __init__(self, client_dir: str | Path = "", period: str = "", language: str | None = None,
                 assessment: Assessment | None = None):
        self.folder, quarter = notebook_target(client_dir, period)
        client = load_client(self.folder / "client.yaml")
        self.language = language or client.language
        self.words = Words.of(self.language, client.currency)
        self.path = self.folder / PLAN_FILE
        existing = load_plan(self.path)[0] if self.path.is_file() else None
        if existing is not None and not period:  # a plan being edited: beside the quarter it started from
            quarter = Period.parse(existing.baseline)
        self.assessment = assessment or assess(self.folder, quarter)
        if existing is not None:
            plan = existing
        else:  # the suggestions, not yet saved: the first save writes plan.yaml
            import yaml

            plan = Plan.model_validate(yaml.safe_load(plan_text(self.assessment, self.words)))
        data = plan.model_dump(mode="json", exclude_none=True)
        self.baseline = data["baseline"]
        self.rows = [_GoalRow(self, g) for g in data.get("goals", [])]
        self.goals_box = w.VBox([r.widget for r in self.rows])
        self._build_adder()
        self._build_sla(data.get("sla", {}))
        agreed = data.get("agreed", {})
        self.agreed_date = w.DatePicker(description=self.t("workshop.agreed_on"), value=_date(agreed.get("date")),
                                        style={"description_width": "initial"})
        self.agreed_by = w.Textarea(value="\n".join(agreed.get("by", [])), placeholder=self.t("workshop.agreed_by"),
                                    layout=w.Layout(width="36rem", height="4.5rem"))
        self.message = w.HTML().add_class("sa-plan-message")
        self.save_button = w.Button(description=self.t("workshop.save"), button_style="primary").add_class(
            "sa-plan-save")
        self.check_button = w.Button(description=self.t("workshop.check")).add_class("sa-plan-check")
        self.agree_button = w.Button(description=self.t("workshop.agree"), button_style="success").add_class(
            "sa-plan-agree")
        self.save_button.on_click(lambda _: self.save())
        self.check_button.on_click(lambda _: self.check())
        self.agree_button.on_click(lambda _: self.agree())
        self.widget = w.VBox([
            w.HTML(f"<h2>{html.escape(self.t('workshop.heading', client=client.name, period=self.baseline))}</h2>"
                   f"<p>{html.escape(self.t('workshop.intro'))}</p>"),
            self.goals_box, self.adder, w.HTML(f"<h3>{html.escape(self.t('workshop.sla'))}</h3>"), self.sla_box,
            w.HTML(f"<h3>{html.escape(self.t('workshop.agreement'))}</h3>"), self.agreed_date, self.agreed_by,
            w.HBox([self.save_button, self.check_button, self.agree_button]), self.message,
        ]).add_class("sa-plan")

    def t(self, key: str, **values: Any) -> str:
        """A text of the page in the client's language."""
        return text(key, self.language, **values)

    def goal_title(self, data: dict[str, Any]) -> str:
        """A goal's words: its own title, else its suggestion's."""
        if data.get("title"):
            return str(data["title"])
        suggestion = next((g for g in self.assessment.goals if g.id == data["id"]), None)
        return self.words.goal(suggestion)[0] if suggestion else str(data["id"])

    # ---------------------------------------------------------------- building
    def _build_adder(self) -> None:
        facts = metric_facts(self.assessment)
        self.new_metric = w.Dropdown(options=[(f"{self.words.metric(m)} ({m})", m) for m in sorted(facts)],
                                     layout=w.Layout(width="28rem"))
        self.new_title = w.Text(placeholder=self.t("workshop.title"), layout=w.Layout(width="28rem"))
        add = w.Button(description=self.t("workshop.add"), icon="plus")
        add.on_click(lambda _: self.add_goal())
        self.adder = w.VBox([w.HTML(f"<h3>{html.escape(self.t('workshop.add_heading'))}</h3>"),
                             w.HBox([self.new_metric, self.new_title, add])])

    def _build_sla(self, sla: dict[str, Any]) -> None:
        m, s = sla.get("marketing", {}), sla.get("sales", {})
        style = {"description_width": "22rem"}
        layout = w.Layout(width="32rem")
        self.mql = w.IntText(value=m.get("mql_per_month") or 0, description=self.t("report.plan.sla_mql"),
                             style=style, layout=layout)
        self.hours = w.FloatText(value=s.get("first_contact_hours") or 24, description=self.t("report.plan.sla_hours"),
                                 style=style, layout=layout)
        self.share = w.BoundedFloatText(value=s.get("first_contact_share", FIRST_CONTACT_SHARE), min=0.01, max=1,
                                        step=0.05, description=self.t("report.plan.sla_share"), style=style,
                                        layout=layout)
        self.attempts = w.IntText(value=s.get("attempts") or 6, description=self.t("report.plan.sla_attempts"),
                                  style=style, layout=layout)
        self.days = w.FloatText(value=s.get("accept_or_return_days") or 2, description=self.t("report.plan.sla_days"),
                                style=style, layout=layout)
        self.marketing_remedy = w.Text(value=m.get("remedy") or "", description=self.t("workshop.remedy_marketing"),
                                       style=style, layout=w.Layout(width="48rem"))
        self.sales_remedy = w.Text(value=s.get("remedy") or "", description=self.t("workshop.remedy_sales"),
                                   style=style, layout=w.Layout(width="48rem"))
        self.review = w.Text(value=sla.get("review") or "", description=self.t("workshop.review"), style=style,
                             layout=w.Layout(width="48rem"))
        self.commitments = sla.get("commitments", [])  # kept as they are: edited in the file
        self.sla_box = w.VBox([self.mql, self.hours, self.share, self.attempts, self.days, self.marketing_remedy,
                               self.sales_remedy, self.review])

    # ---------------------------------------------------------------- actions
    def add_goal(self) -> None:
        """A goal of the client's own on the chosen figure, with today's value as its baseline."""
        metric = self.new_metric.value
        baseline = metric_facts(self.assessment)[metric]
        taken = {r.data["id"] for r in self.rows}
        gid = next(f"own_{i}" for i in range(1, 1000) if f"own_{i}" not in taken)
        data = {"id": gid, "status": "added", "title": self.new_title.value.strip() or self.words.metric(metric),
                "metric": metric, "better": direction(metric) or "higher", "baseline": baseline, "target": baseline,
                "deadline": self.assessment.quarter.next().end.isoformat(), "owner": {"team": "joint"}}
        row = _GoalRow(self, data)
        self.rows.append(row)
        self.goals_box.children = (*self.goals_box.children, row.widget)
        self.new_title.value = ""

    def plan_data(self) -> dict[str, Any]:
        """Everything on the page, as the plan file holds it."""
        sales: dict[str, Any] = {"first_contact_hours": self.hours.value, "first_contact_share": self.share.value,
                                 "attempts": self.attempts.value, "accept_or_return_days": self.days.value}
        marketing: dict[str, Any] = {"mql_per_month": self.mql.value}
        if self.marketing_remedy.value.strip():
            marketing["remedy"] = self.marketing_remedy.value.strip()
        if self.sales_remedy.value.strip():
            sales["remedy"] = self.sales_remedy.value.strip()
        sla: dict[str, Any] = {"marketing": marketing, "sales": sales, "commitments": self.commitments}
        if self.review.value.strip():
            sla["review"] = self.review.value.strip()
        agreed: dict[str, Any] = {"by": [b.strip() for b in self.agreed_by.value.splitlines() if b.strip()]}
        if self.agreed_date.value:
            agreed["date"] = self.agreed_date.value.isoformat()
        return {"plan_version": 1, "baseline": self.baseline, "agreed": agreed,
                "goals": [r.value() for r in self.rows], "sla": sla}

    def save(self) -> Path | None:
        """Write plan.yaml (the version it replaces kept beside it); None when a field is invalid, or
        when the folder is the example shipped with the toolkit (copy it to a folder of your own).
        What is wrong is said in the page's language, as every problem the page shows."""
        with speaking(self.language):
            return self._save()

    def _save(self) -> Path | None:
        if self.folder.resolve().is_relative_to(examples_dir().resolve()):
            self._show([self.t("workshop.example", folder=str(self.folder))], error=True)
            return None
        try:
            plan = Plan.model_validate(self.plan_data())
        except ValidationError as exc:
            self._show([str(p) for p in pydantic_problems(exc, self.path, {})], error=True)
            return None
        kept = save_plan(self.folder, plan)
        self._show([self.t("workshop.saved", path=str(self.path))]
                   + ([self.t("workshop.kept", path=str(kept))] if kept else []))
        return self.path

    def check(self) -> bool:
        """Save, then list every error and warning of the plan against the assessment."""
        with speaking(self.language):
            return self._check()

    def _check(self) -> bool:
        if self._save() is None:
            return False
        try:
            done = check_client_plan(self.folder, lambda _: self.assessment)
        except InputError as exc:
            self._show([str(p) for p in exc.problems], error=True)
            return False
        lines = [str(p) for p in done.checked.errors] + [f"⚠ {p}" for p in done.checked.warnings]
        self._show(lines or [self.t("workshop.no_problems")], error=bool(done.checked.errors))
        return not done.checked.errors

    def agree(self) -> Path | None:
        """Save, check and keep the plan as agreed on its date."""
        with speaking(self.language):
            return self._agree()

    def _agree(self) -> Path | None:
        if self._save() is None:
            return None
        try:
            kept = agree_plan(self.folder, check_client_plan(self.folder, lambda _: self.assessment))
        except InputError as exc:
            self._show([str(p) for p in exc.problems], error=True)
            return None
        self._show([self.t("workshop.agreed", path=str(kept))])
        return kept

    def _show(self, lines: list[str], error: bool = False) -> None:
        color = "#b3261e" if error else "#1d5e2c"
        self.message.value = f"<div style='color:{color}'>" + "<br>".join(html.escape(x) for x in lines) + "</div>"


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
