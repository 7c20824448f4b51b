"""The baseline report's sections as HTML, for the notebook to show one per cell.

`BaselineReport` reads an `Assessment` (never the client's files) and renders it in one
language: the words come from `presenting.texts`, the structure from
`templates/report/sections/*.html.j2` (Jinja, autoescaping on, so client text such as
names, channels and notes is always shown as text).
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from smarketing_assess.config.brand import Brand
from smarketing_assess.config.commentary import INTRODUCTION, Commentary
from smarketing_assess.config.questionnaire import TEAMS, QuestionBank, load_question_bank
from smarketing_assess.core.catalogs import in_sentence, pick, text
from smarketing_assess.core.stages import FUNNEL_NAME, SINGULAR, STAGES
from smarketing_assess.presenting import charts
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.commentary import logo_uri, markdown_html
from smarketing_assess.presenting.crm import event_words
from smarketing_assess.presenting.tables import (
    channel_table,
    dimension_table,
    funnel_table,
    gap_table,
    goal_table,
    plan_goal_table,
    sla_table,
    suggested_goal_table,
)
from smarketing_assess.presenting.texts import Words, environment, source_line
from smarketing_assess.records.agreed import AgreedPlan
from smarketing_assess.records.assessment import Assessment, SpanRow
from smarketing_assess.records.crm_summary import MIN_LINKED
from smarketing_assess.records.evidence import enough
from smarketing_assess.records.funnel import Rate
from smarketing_assess.records.history import Since
from smarketing_assess.records.scoring import COMPARED, DimensionScore

EXECUTIVE_GOALS = 4  # the plan's first goals on the executive page; the goals section lists them all


class Section(str):
    """HTML that Jupyter shows as HTML (and nbconvert exports as such)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text("<report section: shown as HTML>")


class BaselineReport:
    """Everything the baseline notebook shows, one method per section.

    `since` is the model's comparison with the client's quarter before this one (`history.since`)
    and `previous_origin` how that quarter was obtained (stored, or assessed now because missing,
    changed or older_schema); `previous_error` the previous quarter and why it could be neither read
    nor assessed.
    """

    def __init__(self, assessment: Assessment, language: str | None = None, *, since: Since | None = None,
                 previous_origin: str = "stored", previous_error: tuple[str, str] | None = None,
                 report_date: date | None = None, bank: QuestionBank | None = None, brand: Brand | None = None,
                 commentary: Commentary | None = None) -> None:
        self.bank: QuestionBank = bank or load_question_bank()
        self.assessment = assessment
        self.period = assessment.quarter
        self.words = Words.of(language or assessment.client.language, assessment.client.currency, self.bank,
                              assessment.wording)
        self.lang = self.words.lang
        self.since, self.previous_origin, self.previous_error = since, previous_origin, previous_error
        # only the client's first assessed quarter is the baseline: a later one has a quarter before it,
        # compared or (when it could not be read) named
        self.first_quarter = since is None and previous_error is None
        self.report_date = report_date or date.today()
        self.brand, self.commentary = brand, commentary
        self.bar = brand.accent if brand else charts.BAR  # the charts' bars in the brand's colour
        self._env = environment(self.lang)
        # no answers yet: a report of the figures, the questionnaire's sections say they are pending
        self.pending = sum(assessment.scores.respondents.values()) == 0

    # ------------------------------------------------------------------ helpers
    def _render(self, name: str, **context: Any) -> Section:
        """A section from its template, the consultant's note on it (if any) at its end."""
        html = self._env.get_template(f"{name}.html.j2").render(**context)
        note = self.commentary.note(name) if self.commentary else ""
        if note and html.rstrip().endswith("</section>"):
            aside = self._env.get_template("note.html.j2").render(note=markdown_html(note), by=self._note_by())
            html = html.rstrip()[:-len("</section>")] + aside + "</section>\n"
        return Section(html)

    def _withheld(self) -> str:
        return ", ".join(self.words.team(t) for t in self.assessment.scores.withheld_teams)

    def _shown_teams(self) -> list[str]:
        """Teams that answered at all (a withheld team is still named, its cells say so)."""
        return [t for t in TEAMS if self.assessment.scores.respondents[t] > 0]

    # ----------------------------------------------------------------- sections
    def executive(self) -> Section:
        """The executive page: where the client stands (index, maturity, change since last quarter),
        the three findings that matter most, the plan's top goals with owners and deadlines, and
        the SLA's headline numbers; the rest of the report is the evidence."""
        return self._render("executive", **self.executive_facts())

    def executive_facts(self) -> dict[str, Any]:
        """What the executive page shows, formatted once: the HTML page and the deck's first slides
        both show these strings."""
        a, w = self.assessment, self.words
        s = a.scores
        level = w.level(s.maturity_level) if s.maturity_level is not None else None
        if s.alignment_index is None:
            explanation = w.t("report.summary.no_index", threshold=w.num(s.anonymity_threshold))
        elif s.mean_gap is not None and s.overall is not None:
            explanation = w.t("report.summary.index_explained", overall=w.num(s.overall, 1), gap=w.num(s.mean_gap, 1))
        else:
            explanation = w.t("report.summary.index_no_gap")
        change, pair = None, self._compared_index()
        if self.since is not None and pair is not None:
            before, after, _, _ = pair
            delta = after - before
            teams = self.since.teams
            over = ", ".join(w.team(t) for t in teams.compared) if teams is not None and teams.changed else ""
            detail = (w.t("report.executive.from_to_teams", before=w.num(before), after=w.num(after), teams=over)
                      if over else w.t("report.executive.from_to", before=w.num(before), after=w.num(after)))
            change = {"previous": self.since.previous, "before": w.num(before), "after": w.num(after),
                      "delta": ("+" if delta > 0 else "−" if delta < 0 else "±") + w.num(abs(delta)),
                      "detail": detail}
        table = goal_table(a, w)  # the plan's goals when there is one, else the suggested ones
        goals = [{"title": r["goal"].text, "owner": r["owner"].text, "target": r["target"].text,
                  "deadline": r["deadline"].text} for r in table.rows[:EXECUTIVE_GOALS]]
        more = len(table.rows) > EXECUTIVE_GOALS
        if a.plan is not None:
            goals_heading, sla_heading, sla = w.t("report.plan.heading"), w.t("report.plan.sla_heading"), \
                self._signed_sla(a.plan)
        else:
            goals_heading, sla_heading = w.t("report.goals.heading"), w.t("report.sla.heading")
            handed = "report.plan.sla_mql" if a.sla.handover == "mql" else "report.executive.leads"
            sla = [(w.t(handed), w.show(a.sla.monthly(a.sla.handover), "per_month")),
                   (w.t("report.executive.customers"), w.num(a.sla.quarterly("customers"))),
                   (w.t("report.plan.sla_hours"), w.num(a.sla.followup_sla_hours)),
                   (w.t("report.plan.sla_attempts"), w.num(a.sla.contact_attempts))]
        return dict(
            client_name=a.client.name, period=str(self.period), date=fmt.day(self.report_date, self.lang),
            subtitle=w.t("report.subtitle" if self.first_quarter else "report.subtitle_later", period=str(self.period)),
            brand_name=self.brand.name if self.brand else "", logo=logo_uri(self.brand),
            pending=self.pending, index=w.num(s.alignment_index), level=level.level if level else "–",
            level_name=pick(level.name, self.lang) if level else w.t("report.summary.no_level"),
            level_description=pick(level.description, self.lang) if level else "",
            levels=[{"level": lv.level, "name": pick(lv.name, self.lang), "lower": w.num(lv.lower),
                     "current": level is not None and lv.level == level.level} for lv in w.names.levels],
            explanation=explanation, change=change, findings=[w.finding(f) for f in a.findings or []],
            goals_heading=goals_heading, goals=goals, more_goals=w.t("report.executive.more_goals") if more else "",
            sla_heading=sla_heading, sla=sla,
            teams=[{"label": w.team(t), "count": w.num(s.respondents[t])} for t in TEAMS],
            total=w.num(sum(s.respondents.values())), withheld=self._withheld(),
            threshold=w.num(s.anonymity_threshold),
        )

    def introduction(self) -> Section:
        """The consultant's introduction from the quarter's commentary (nothing without one)."""
        note = self.commentary.note(INTRODUCTION) if self.commentary else ""
        if not note:
            return Section("")
        return Section(self._env.get_template("introduction.html.j2").render(
            note=markdown_html(note), by=self._note_by()))

    def _note_by(self) -> str:
        return self.words.t("report.commentary.by", name=self.brand.name) if self.brand \
            else self.words.t("report.commentary.heading")

    def since_last_quarter(self) -> Section:
        """What moved since the client's previous quarter, and how last quarter's goals fared
        (nothing for a client's first quarter). The previous quarter is its stored assessment;
        when it had to be assessed from its inputs now, the section says so."""
        before, w = self.since, self.words
        if before is None and self.previous_error is None:
            return Section("")
        if before is None:
            assert self.previous_error is not None
            return self._render("since", previous=self.previous_error[0], unreadable=self.previous_error[1],
                                index=None, moves=[], goals=[], left_out="", assessed_now="", pending="")
        previous = before.previous
        moves = [{"name": w.dim(m.dimension), "before": w.num(m.before), "after": w.num(m.after),
                  "change": ("+" if m.change > 0 else "−") + w.num(abs(m.change))} for m in before.moves]
        pair = self._compared_index()
        if pair is not None and moves:  # the index the sentence names, shown beside the moves
            delta = pair[1] - pair[0]
            moves.insert(0, {"name": w.t("report.summary.index"), "before": w.num(pair[0]), "after": w.num(pair[1]),
                             "change": ("+" if delta > 0 else "−" if delta < 0 else "±") + w.num(abs(delta))})
        goals = [{"title": w.agreed_goal(g.agreed) if g.agreed else w.goal(g.goal)[0],
                  "metric": w.metric(g.goal.metric),
                  "baseline": w.show(g.goal.baseline, g.goal.unit), "target": w.show(g.goal.target, g.goal.unit),
                  "now": w.show(g.now, g.goal.unit), "key": g.status,
                  "status": w.t(f"report.since.status.{g.status.replace(' ', '_')}")} for g in before.goals]
        dimensions = set(w.names.dimensions)
        left = [w.dim(item) if item in dimensions else item for item in before.left_out]
        mix = before.teams is not None and before.teams.changed
        index = None if pair is None else w.t(
            "report.since.index", previous=previous, before=w.num(pair[0]), after=w.num(pair[1]),
            level_before=pair[2] or 1, level_after=pair[3] or 1)
        if mix and before.teams is not None:  # the mix note first; the index over the teams both count, or none
            index = " ".join([w.team_mix([previous, str(self.period)], before.teams),
                              index or w.t("progress.summary.index_not_compared")])
        assessed_now = (w.t(f"report.since.assessed_now.{self.previous_origin}", previous=previous)
                        if self.previous_origin != "stored" else "")
        pending = "" if before.answered_before else w.t("report.since.pending", previous=previous)
        return self._render("since", previous=previous, unreadable=None, index=index, moves=moves, goals=goals,
                            left_out=", ".join(left), assessed_now=assessed_now, pending=pending)

    def _compared_index(self) -> tuple[float, float, int | None, int | None] | None:
        """The index then and now, with their levels, as the comparison with the quarter before takes them:
        over the teams both quarters count when a withheld team changed the mix; None when it cannot be
        compared (no earlier index, or marketing or sales not counted in both)."""
        s, now = self.since, self.assessment.scores
        if s is None:
            return None
        if s.teams is not None and s.teams.changed:
            (a, b), (level_a, level_b) = s.teams.index, s.teams.levels
        else:
            a, b, level_a, level_b = s.index_before, now.alignment_index, s.level_before, now.maturity_level
        return None if a is None or b is None else (a, b, level_a, level_b)

    def dimensions(self) -> Section:
        """Each dimension's score, overall and per team, as a chart and a table."""
        if self.pending:
            return self._render("pending", heading="report.dimensions.heading")
        s = self.assessment.scores
        table = dimension_table(self.assessment, self.words)
        chart = charts.as_data_uri(self.dimension_figure())
        sparse = (self.words.t("report.sparse", count=self.words.num(len({q for _, q in s.sparse})),
                               threshold=self.words.num(s.anonymity_threshold)) if s.sparse else "")
        return self._render("dimensions", chart=chart, table=table, teams=[t for t in TEAMS if t in table.columns],
                            withheld=self._withheld(), threshold=self.words.num(s.anonymity_threshold), sparse=sparse)

    def dimension_figure(self) -> Any:
        """The chart of each dimension's overall score with a mark per team shown (a matplotlib
        figure: the report embeds it as SVG, the deck as a picture)."""
        s, w = self.assessment.scores, self.words
        return charts.dimension_chart(
            [w.dim(d.dimension) for d in s.dimensions], [d.score for d in s.dimensions],
            {t: [d.teams[t] for d in s.dimensions] for t in self._shown_teams() if t not in s.withheld_teams},
            {t: w.team(t) for t in TEAMS}, w.t("report.dimensions.overall"), bar=self.bar)

    def gaps(self) -> Section:
        """Where marketing and sales see things differently, flagged above the threshold."""
        if self.pending:  # said once, under the scores by dimension
            return Section("")
        s = self.assessment.scores
        table = gap_table(self.assessment, self.words)
        context: dict[str, Any] = {"available": table is not None, "threshold": self.words.num(s.anonymity_threshold),
                                   "one_team": not (s.respondents["sales"] and s.respondents["marketing"])}
        if table is not None:
            w = self.words
            dims = [d for d in s.dimensions if d.gap is not None]  # the table's rows, in its order
            context["threshold"] = w.num(s.gap_threshold)
            context["chart"] = charts.as_data_uri(charts.gap_chart(
                [w.dim(d.dimension) for d in dims], [d.gap for d in dims], s.gap_threshold,
                w.t("report.gaps.marketing_higher"), w.t("report.gaps.sales_higher"), bar=self.bar))
            context["table"], context["teams"] = table, COMPARED
            context["flagged"] = [self._gap_line(d) for d in sorted(
                (d for d in dims if d.gap_flagged), key=lambda d: -abs(d.gap or 0))]
        return self._render("gaps", **context)

    def _gap_line(self, d: DimensionScore) -> str:
        w = self.words
        higher, lower = COMPARED if (d.gap or 0) > 0 else COMPARED[::-1]
        return w.t("report.gaps.flagged", dimension=w.dim(d.dimension), higher=in_sentence(w.team(higher)),
                   lower=in_sentence(w.team(lower)), high=w.num(d.compared.get(higher)),
                   low=w.num(d.compared.get(lower)), points=w.num(abs(d.gap or 0)))

    def _thin_note(self, key: str = "report.thin_legend") -> str:
        """What the mark beside a rate over too few cases means: in full in the funnel, as a legend elsewhere."""
        w = self.words
        return w.t(key, mark=w.t("report.thin_mark"), basis=w.num(self.assessment.evidence.min_basis))

    def _rate(self, rate: Rate | None, digits: int = 1) -> dict[str, str]:
        """A rate's cells: the value (marked when it rests on too few cases) and its interval."""
        w = self.words
        if rate is None:
            return {"rate": "", "interval": "", "thin": ""}
        thin = rate.value is not None and not rate.enough
        return {"rate": w.pct(rate.value, digits), "interval": w.interval(rate.low, rate.high, digits),
                "thin": w.t("report.thin_mark") if thin else ""}

    def funnel(self) -> Section:
        """The funnel: counts, monthly averages, rates beside their public ranges."""
        f = self.assessment.funnel
        if f is None:
            return self._render("funnel", available=False)
        table = funnel_table(self.assessment, self.words)
        assert table is not None
        tracked = list(f.stages)
        ranges = self.words.wording.ranges
        shown_ranges = [ranges.get(f"{SINGULAR[a]}_to_{SINGULAR[b]}") for a, b in itertools.pairwise(tracked)]
        sources = list(dict.fromkeys(source_line(r.source) for r in shown_ranges if r is not None))
        shown = [s for s in tracked if s != "visitors"]
        chart = charts.as_data_uri(charts.funnel_chart(
            [text(f"stages.{s}", self.lang) for s in shown], [f.counts[s] or 0 for s in shown],
            [self.words.num(f.counts[s]) for s in shown], bar=self.bar))
        not_tracked = ", ".join(text(f"stages.{s}", self.lang) for s in STAGES if s not in tracked)
        overall = f.rates.get("lead_to_customer")
        w = self.words
        return self._render(
            "funnel", available=True, months=f.months, chart=chart, table=table, sources=sources,
            overall=w.t("report.funnel.overall", rate=w.pct(overall.value, 2), leads=w.num(overall.denominator),
                        low=w.pct(overall.low, 2), high=w.pct(overall.high, 2))
            if overall is not None and overall.low is not None
            else w.t("report.funnel.overall_unavailable", rate=w.pct(overall.value if overall else None)),
            thin=self._thin_note("report.funnel.thin") if table.thin else "",
            not_tracked=not_tracked, crm_notes=self._crm_notes(), history=self._history(),
        )

    def _history(self) -> dict[str, Any] | None:
        """The export's history beside the quarter (`crm --history`): each quarter, the whole span, its channels."""
        crm = self.assessment.crm
        h = crm.history if crm else None
        if h is None:
            return None
        w = self.words

        def row(r: SpanRow, label: str) -> dict[str, Any]:
            if not r.leads:
                return {"label": label, "leads": w.t("report.history.no_leads"), "customers": "", "hours": "",
                        "conversion": self._rate(None), "win": self._rate(None)}
            return {"label": label, "leads": w.num(r.leads), "customers": w.num(r.customers),
                    "conversion": self._rate(r.conversion, 2), "hours": w.num(r.median_hours, 1),
                    "hours_thin": self._thin_median(r.median_hours, r.hours_basis), "win": self._rate(r.win_rate, 0)}

        rows = [row(r, r.period) for r in h.quarters]
        channels = [{"label": c.channel, "leads": w.num(c.leads), "customers": w.num(c.customers),
                     "conversion": self._rate(c.conversion, 1)} for c in h.channels]
        everything = [*rows, row(h.whole, ""), *channels]
        return {"span": w.t("report.history.span", first=h.quarters[0].period, last=h.quarters[-1].period),
                "rows": rows,
                "whole": row(h.whole, w.t("report.history.all", quarters=w.num(len(h.quarters)))),
                "channels": channels,
                "thin": self._thin_note() if any(r["conversion"]["thin"] or r.get("win", {}).get("thin")
                                                 or r.get("hours_thin") for r in everything) else ""}

    def _thin_median(self, median: float | None, basis: float | None) -> str:
        """The mark beside a median over fewer cases than the evidence rule asks (none where the count is unknown)."""
        return self.words.t("report.thin_mark") if median is not None and basis is not None and not enough(basis) \
            else ""

    def _crm_notes(self) -> list[str]:
        """Where CRM-derived figures come from, the flow view beside them, and what looked odd."""
        crm = self.assessment.crm
        if not crm:
            return []
        lang, w = self.lang, self.words
        if crm.as_of is not None:  # an export without creation dates: a snapshot of the quarter, taken that day
            notes = [w.t("crm.as_of_note", mapping=crm.mapping, date=w.day(crm.as_of))]
        else:
            notes = [text("crm.cohort_note", lang, mapping=crm.mapping)]
            if crm.view == "snapshot":
                notes.append(w.t("crm.snapshot_note"))
        if crm.rows_read:
            notes.append(w.t("crm.read", items="; ".join(
                w.t("crm.rows_linked", what=w.t(f"crm.file_{k}"), rows=w.num(n), linked=w.num(crm.linked[k]))
                if k in crm.linked else w.t("crm.rows", what=w.t(f"crm.file_{k}"), rows=w.num(n))
                for k, n in crm.rows_read.items())))
        if "win_rate" in crm.withheld:
            notes.append(w.t("crm.won_only", deals=w.num(crm.withheld["win_rate"][1])))
        if "followup" in crm.withheld:
            linked, rows = crm.withheld["followup"]
            notes.append(w.t("crm.withheld_followup", linked=w.num(linked), rows=w.num(rows),
                             share=w.pct(MIN_LINKED, 0)))
        if "deals" in crm.thinly_linked:
            linked, rows = crm.thinly_linked["deals"]
            notes.append(w.t("crm.thin_deals", linked=w.num(linked), rows=w.num(rows), share=w.pct(MIN_LINKED, 0)))
        notes += [w.t("crm.partial", what=w.t(f"crm.file_{what}"), last=w.day(last), leads_last=w.day(leads_last))
                  for what, (last, leads_last) in crm.partial.items()]
        flow: dict[str, int] = {}
        for row in crm.flow.values():
            for stage, n in row.items():
                flow[stage] = flow.get(stage, 0) + n
        if flow:
            notes.append(text("crm.flow", lang, items=", ".join(
                f"{text(f'stages.{s}', lang)} {self.words.num(n)}" for s, n in flow.items())))
        implied = {s: n for s, n in crm.implied.items() if n}
        if implied:
            notes.append(text("crm.implied", lang, count=self.words.num(sum(implied.values())), stages=", ".join(
                f"{text(f'stages.{FUNNEL_NAME[s]}', lang)} {self.words.num(n)}" for s, n in implied.items())))
        odd = [f"{self.words.num(n)} {self._event(k)}" for k, n in crm.out_of_order.items() if n]
        if odd:
            notes.append(text("crm.out_of_order", lang, items="; ".join(odd)))
        return notes

    def _event(self, key: str) -> str:
        return event_words(key, self.lang)

    def followup(self) -> Section:
        """Follow-up figures, and what each team believes beside what the data shows."""
        a = self.assessment
        f = a.funnel
        w = self.words
        tiles = []
        if f is not None:
            # one definition: lead by lead from CRM exports when there are any, else from funnel.csv
            share = a.followup.share_interval
            tiles.append(self._share_tile(a.followup.share, a.followup.basis, share.low if share else None,
                                          share.high if share else None, w.t("report.followup.share"), 0))
            basis = a.followup.hours_basis
            target = w.num(a.sla.followup_sla_hours)
            tiles.append({"value": w.num(a.followup.hours), "label": w.t("report.followup.hours"),
                          "note": w.t("report.followup.target_hours", hours=target) if basis is None
                          else w.t("report.followup.hours_over", basis=w.num(basis), hours=target),
                          "thin": self._thin_median(a.followup.hours, basis)})
            for name, key, digits in (("mql_to_sql", "report.followup.mql_to_sql", 0),
                                      ("lead_to_customer", "report.followup.lead_to_customer", 1)):
                r = f.rates.get(name)
                if r is not None:
                    tiles.append(self._share_tile(r.value, r.denominator, r.low, r.high, w.t(key), digits))
        tiles = [t for t in tiles if t["value"] not in ("–", w.t("report.unavailable"))]
        tiles += self._crm_tiles()
        teams = [t for t in ("sales", "marketing") if a.scores.respondents[t] > 0]
        rows = []
        for b in a.beliefs:
            cells = [w.t("report.withheld_short") if t in a.scores.withheld_teams
                     else w.measure(b.measure, b.teams.get(t), 1) for t in teams]
            fact = w.measure(b.measure, b.fact, 1) if b.fact is not None else w.t("report.no_data")
            thin = self._thin_median(b.fact, a.followup.hours_basis) if b.measure == "hours_to_first_contact" \
                else w.t("report.thin_mark") if b.basis is not None and not enough(b.basis) else ""
            rows.append({"label": w.t(f"measures.{b.measure}"), "teams": cells, "fact": fact,
                         "interval": w.interval(b.low, b.high), "basis": w.num(b.basis) if b.basis else "",
                         "thin": thin})
        return self._render("followup", tiles=tiles, beliefs=rows if teams else [],
                            team_labels=[w.team(t) for t in teams],
                            thin=self._thin_note() if any(t["thin"] for t in tiles + rows) else "")

    def _share_tile(self, value: float | None, basis: float | None, low: float | None, high: float | None,
                    label: str, digits: int) -> dict[str, str]:
        """A tile for a share: the value, its basis and interval, marked when the basis is too small."""
        w = self.words
        return {"value": w.pct(value, digits), "label": label,
                "note": w.t("report.followup.of_basis", basis=w.num(basis), low=w.pct(low, digits),
                            high=w.pct(high, digits)) if low is not None and high is not None else "",
                "thin": w.t("report.thin_mark") if value is not None and not enough(basis) else ""}

    def _crm_tiles(self) -> list[dict[str, str]]:
        crm, lang = self.assessment.crm, self.lang
        if crm is None:
            return []
        fu, deals = crm.followup, crm.deals
        tiles = []
        if fu is not None and fu.p90_hours is not None:
            tiles.append({"value": self.words.num(fu.p90_hours), "label": text("crm.p90_hours", lang), "note": "",
                          "thin": self._thin_median(fu.p90_hours, fu.hours_basis)})
        if fu is not None and fu.share_within_sla is not None:
            within = self.assessment.followup.within_sla_interval
            tiles.append(self._share_tile(fu.share_within_sla, fu.handed_over, within.low if within else None,
                                          within.high if within else None,
                                          text("crm.within_sla", lang, hours=self.words.num(fu.sla_hours)), 0))
        if fu is not None and fu.median_attempts is not None:
            tiles.append({"value": self.words.num(fu.median_attempts, 1), "label": text("crm.attempts", lang),
                          "note": "", "thin": ""})
        won = crm.win_rate
        if deals is not None and won is not None:
            label = text("crm.win_rate", lang, won=self.words.num(deals.won), lost=self.words.num(deals.lost))
            tiles.append(self._share_tile(won.value, won.denominator, won.low, won.high, label, 0))
        if deals is not None and deals.median_days_to_won is not None:
            tiles.append({"value": self.words.num(deals.median_days_to_won),
                          "note": text("crm.days_to_won_note", lang, basis=self.words.num(deals.days_basis)),
                          "thin": self._thin_median(deals.median_days_to_won, deals.days_basis),
                          "label": text("crm.days_to_won", lang, mean=self.words.num(deals.mean_days_to_won))})
        return tiles

    def channels(self) -> Section:
        """The channels' economics, ranked, and where to move effort."""
        c = self.assessment.channels
        # segments come from the CRM export, whether or not there is a channels file
        segments = [{"segment": sg["segment"], "leads": self.words.num(sg.get("leads")),
                     "customers": self.words.num(sg.get("customers")) if "customers" in sg else "–",
                     "rate": self.words.pct(sg["customers"] / sg["leads"]) if sg.get("leads") and "customers" in sg
                     else "–"} for sg in (self.assessment.crm.segments if self.assessment.crm else [])[:10]]
        if c is None:
            return self._render("channels", available=False, segments=segments)
        none = text("report.channels.no_customers", self.lang)
        table = channel_table(self.assessment, self.words)
        # no spend known: no cost to chart (the advice says so in words)
        chart = "" if all(ch.spend is None for ch in c.channels) else charts.as_data_uri(charts.channel_chart(
            [ch.channel for ch in c.channels], [ch.cost_per_customer for ch in c.channels],
            [(self.words.cost(ch.cost_per_customer) if ch.cost_per_customer is not None else "–") if ch.customers
             else none for ch in c.channels], bar=self.bar))
        notes = [{"channel": ch.channel, "text": ch.notes} for ch in c.channels if ch.notes]
        return self._render("channels", available=True, table=table, chart=chart,
                            recommendation=self.words.recommendation(c.recommendation), notes=notes,
                            segments=segments, thin=self._thin_note() if table is not None and table.thin else "")

    def sla(self) -> Section:
        """The draft SLA worked back from the revenue goal, with the rates it used."""
        sla = self.assessment.sla
        marketing, sales = self.words.commitments(sla)
        w = self.words
        rates = []
        for r in sla.rates:
            a, b = r.name.split("_to_")
            label = f"{w.t(f'stages.{_plural(a)}')} → {w.t(f'stages.{_plural(b)}')}"
            own = r.value if r.origin == "observed" else r.observed
            if r.origin == "observed":
                origin = w.t("report.sla.observed")
            else:
                assert r.source is not None
                thin = r.observed and r.basis is not None and not enough(r.basis)
                origin = w.t("report.sla.benchmark_thin" if thin else "report.sla.benchmark",
                             low=w.pct(r.benchmark_low), high=w.pct(r.benchmark_high), source=source_line(r.source))
            rates.append({"label": label, "used": w.pct(r.value), "own": w.pct(own) if own is not None else "–",
                          "cases": w.num(r.basis), "origin": origin,
                          "thin": w.t("report.thin_mark") if own is not None and not enough(r.basis) else ""})
        return self._render(
            "sla", marketing=marketing, sales=sales, volumes=sla_table(self.assessment, w), rates=rates,
            intro=text("report.sla.intro", self.lang, goal=self.words.money(sla.revenue_goal),
                       deal=self.words.money(sla.average_deal_size),
                       customers=self.words.num(sla.quarterly("customers"))),
            thin=self._thin_note() if any(r["thin"] for r in rates) else "",
        )

    def goals(self) -> Section:
        """The suggested starting goals."""
        w = self.words
        held = [w.t("report.goals.held_back_line", title=w.held_back(h), fact=w.metric(h.fact),
                    basis=w.num(h.basis), needed=w.num(h.needed)) for h in self.assessment.held_back]
        return self._render("goals", goals=suggested_goal_table(self.assessment, w), held_back=held,
                            plan=self.plan_facts())

    def plan_facts(self) -> dict[str, Any] | None:
        """The plan both teams agreed, when there is one: its goals' table, what was not taken, its SLA."""
        plan = self.assessment.plan
        if plan is None:
            return None
        w = self.words
        dropped = [w.agreed_goal(g) for g in plan.goals if g.status == "dropped"]
        changes = [{"goal": w.agreed_goal(g), "date": w.day(c.agreed_on), "before": w.show(c.target_before, g.unit),
                    "after": w.show(c.target_after, g.unit), "deadline": w.day(c.deadline_after)}
                   for c in plan.changes for g in plan.goals if g.id == c.goal]
        return {"intro": w.t("report.plan.intro", date=w.day(plan.agreed_on), by="; ".join(plan.by)),
                "goals": plan_goal_table(self.assessment, w),
                "dropped": w.t("report.plan.not_taken", items="; ".join(dropped)) if dropped else "",
                "sla": self._signed_sla(plan), "review": plan.review or "", "changes": changes,
                "own_quarter": plan.baseline == self.assessment.period,
                "start": w.t("report.plan.start", period=plan.baseline)}

    def _signed_sla(self, plan: AgreedPlan) -> list[tuple[str, str]]:
        """The SLA's numbers both teams signed, as labelled rows."""
        w = self.words
        return [(w.t(f"report.plan.sla_{key}"), shown) for key, value, shown in (
            ("mql", plan.mql_per_month, w.num(plan.mql_per_month)),
            ("hours", plan.first_contact_hours, w.num(plan.first_contact_hours)),
            ("share", plan.first_contact_share, w.pct(plan.first_contact_share, 0)),
            ("attempts", plan.attempts, w.num(plan.attempts)),
            ("days", plan.accept_or_return_days, w.num(plan.accept_or_return_days))) if value is not None]

    def method(self) -> Section:
        """How the figures were made: questionnaire, scores, gaps, levels, anonymity, inputs."""
        a, bank, lang = self.assessment, self.words.names, self.lang
        levels = ", ".join(f"{lv.level} {pick(lv.name, lang)} ({lv.lower:g}+)" for lv in bank.levels)
        paragraphs = [
            text("report.method.questionnaire", lang, questions=bank.questions, version=bank.version),
            text("report.method.scores", lang),
            text("report.method.gap", lang, threshold=self.words.num(a.scores.gap_threshold)),
            text("report.method.levels", lang, levels=levels),
            text("report.method.anonymity", lang, threshold=self.words.num(a.scores.anonymity_threshold)),
            text("report.method.funnel", lang),
            text("report.method.evidence", lang, basis=self.words.num(self.assessment.evidence.min_basis)),
            text("report.method.sla", lang, basis=self.words.num(self.assessment.evidence.min_basis)),
            text("report.method.findings", lang, basis=self.words.num(self.assessment.evidence.min_basis)),
            text("report.method.inputs", lang, files=", ".join(a.inputs)),
        ]
        return self._render("method", paragraphs=paragraphs)


def _plural(singular: str) -> str:
    return next(s for s, one in SINGULAR.items() if one == singular)
