"""The web form respondents open: one light server for a whole workshop.

`smarketing-assess collect CLIENT_DIR --period 2026-Q2 --links sales=8 --links marketing=5`
makes one link per respondent (a random code, single use) and serves the questionnaire, built
from the question bank, as a plain HTML form. One process answers everyone: a page is a
template rendered in a few milliseconds and a submission one small file written whole (see
`collected`), so fifty people answering in the same minute cost the server a few megabytes,
not a kernel each. The ipywidgets form stays where it belongs, in JupyterLab (`ui.form`).

A link is the respondent's only key: nothing else (no shared token) opens the form, no
secret appears on the server's command line, and a link that has sent answers opens a page
that says so. Claiming a link is one exclusive file creation, so two sends at the same
moment cannot both be stored; refused attempts are counted for `responses`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import tornado.web

from smarketing_assess.config.client import load_client
from smarketing_assess.config.questionnaire import TEAMS, QuestionBank, load_question_bank
from smarketing_assess.core.catalogs import pick, text
from smarketing_assess.core.console import say, say_count
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.texts import check_language
from smarketing_assess.reading import collected

LINK_PATH = "/f/"


@dataclass
class FormSite:
    """The questionnaire of one client period, as pages: what each link shows and what a send does."""

    period_dir: Path
    bank: QuestionBank
    language: str
    _links: dict[str, str] = field(default_factory=dict)  # code -> team
    _links_read: float = -1.0

    @classmethod
    def of(cls, client_dir: Path, period: Period, language: str | None = None) -> FormSite:
        """The site of a client's period; an invalid client.yaml or language stops here, not in a page."""
        client = load_client(Path(client_dir) / "client.yaml")
        bank = load_question_bank()
        return cls(Path(client_dir) / str(period), bank, check_language(language or client.language, bank))

    def team_of(self, code: str) -> str | None:
        """The team a link is for (`any`: the respondent picks); None for an unknown link. The links
        file is read again when it changes, so links added while the server runs work at once."""
        path = collected.folder_of(self.period_dir) / collected.LINKS
        stamp = path.stat().st_mtime if path.is_file() else 0.0
        if stamp != self._links_read:
            self._links = {k.code: k.team for k in collected.links(self.period_dir)}
            self._links_read = stamp
        return self._links.get(code)

    # ----------------------------------------------------------------- pages
    def _env(self) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "web"), autoescape=True,
                                 undefined=jinja2.StrictUndefined)
        env.globals["t"] = lambda key, **values: text(key, self.language, **values)
        return env

    def render(self, page: str, **context: Any) -> str:
        """One page of the form (`form`, `team`, `thanks`, `used`, `unknown`, `nothing`: an address that is
        no link, `error`: a request that could not be answered)."""
        return self._env().get_template("form.html.j2").render(page=page, lang=self.language, **context)

    def form(self, code: str, team: str, values: dict[str, str] | None = None, problems: str = "",
             missing: frozenset[str] = frozenset(), xsrf: str = "") -> str:
        """The questions of `team`, with `values` filled in and `missing` marked after a failed send."""
        values = values or {}
        sections = []
        for dim in self.bank.dimensions:
            questions = [q for q in self.bank.in_dimension(dim.id) if q.asked_of(team)]
            if not questions:
                continue
            rows = []
            for q in questions:
                options: list[dict[str, str]] = []
                if q.kind == "scale":
                    labels = pick(q.scale_labels or {}, self.language).split("|")
                    options = [{"value": str(n), "label": lab} for n, lab in enumerate(labels, start=1)]
                elif q.kind == "choice":
                    options = [{"value": o.value, "label": pick(o.label, self.language)} for o in q.options]
                rows.append({"id": q.id, "text": pick(q.text, self.language), "required": collected.required(q),
                             "options": options, "value": values.get(q.id, ""), "missing": q.id in missing,
                             "min": f"{q.min:g}" if q.min is not None else "",
                             "max": f"{q.max:g}" if q.max is not None else "",
                             "range": "" if options else text("form.number_range", self.language,
                                                              low=self._number(q.min), high=self._number(q.max))})
            sections.append({"name": pick(dim.name, self.language), "description": pick(dim.description, self.language),
                             "questions": rows})
        return self.render("form", team=team, team_name=pick(self.bank.teams[team], self.language),
                           sections=sections, problems=problems, action=LINK_PATH + code, xsrf=xsrf)

    def _number(self, value: float | None) -> str:
        value = value or 0.0
        return fmt.number(value, self.language, 0 if float(value).is_integer() else 1)

    def _words(self, qid: str) -> str:
        """A question as the respondent reads it."""
        return pick(self.bank.question(qid).text, self.language)

    def wrong(self, problem: collected.Wrong) -> str:
        """What is wrong with an answer, for the respondent (see `said_to_respondent`)."""
        return said_to_respondent(self.bank, problem, self.language)

    def open(self, code: str, team: str | None, xsrf: str = "") -> tuple[int, str]:
        """What opening a link shows: the form, the team question, or why it cannot be used."""
        bound = self.team_of(code)
        if bound is None:
            collected.count_refused(self.period_dir, "unknown link")
            return 404, self.render("unknown")
        if collected.used(self.period_dir, code):
            collected.count_refused(self.period_dir, "link used before")
            return 410, self.render("used")
        if bound == "any" and team not in TEAMS:
            return 200, self.render("team", teams=[{"label": pick(self.bank.teams[t], self.language),
                                                    "href": f"{LINK_PATH}{code}?team={t}"} for t in TEAMS])
        return 200, self.form(code, bound if bound != "any" else str(team), xsrf=xsrf)

    def send(self, code: str, fields: dict[str, str], xsrf: str = "") -> tuple[int, str]:
        """Store the answers sent with a link, once: the thank-you, the form again with what is missing
        or wrong, or why the link cannot be used."""
        bound = self.team_of(code)
        if bound is None:
            collected.count_refused(self.period_dir, "unknown link")
            return 404, self.render("unknown")
        team = fields.get("team", "")
        if team not in TEAMS or bound not in (team, "any"):
            collected.count_refused(self.period_dir, "wrong team")
            return 400, self.render("unknown")
        answers = {k: v for k, v in fields.items() if k != "team" and v.strip()}
        clean, problems = collected.check_answers(self.bank, team, answers, decimal=".")  # what a browser sends
        if problems:
            bad = frozenset(p.question for p in problems)
            missing = [self._words(p.question) for p in problems if p.missing]
            wrong = [self.wrong(p) for p in problems if not p.missing]
            message = " ".join(
                ([text("form.required", self.language, questions="; ".join(missing))] if missing else [])
                + ([text("form.invalid", self.language, problems="; ".join(wrong))] if wrong else []))
            return 422, self.form(code, team, answers, message, bad, xsrf)
        if not collected.claim(self.period_dir, code):
            collected.count_refused(self.period_dir, "link used before")
            return 410, self.render("used")
        try:
            collected.save(self.period_dir, self.bank, team, clean, via="web", language=self.language)
        except (InputError, OSError):
            collected.release(self.period_dir, code)
            raise
        return 200, self.render("thanks")


def said_to_respondent(bank: QuestionBank, problem: collected.Wrong, language: str) -> str:
    """What is wrong with an answer, for the respondent: in the form's language, the question in its
    own words (never its id), the numbers as the language writes them (150; 12,5 in pt-BR)."""
    if problem.reason == "not_asked" or problem.question not in {q.id for q in bank.questions}:
        return text("form.wrong.not_asked", language)
    words = pick(bank.question(problem.question).text, language)
    if problem.reason == "out_of_range":
        def shown(value: float | None) -> str:
            value = float(value or 0.0)
            return fmt.number(value, language, 0 if value.is_integer() else min(len(f"{value:g}".partition(".")[2]), 4))

        return text("form.wrong.out_of_range", language, question=words, value=shown(problem.found),
                    low=shown(problem.low), high=shown(problem.high))
    if problem.reason == "not_number":
        return text("form.wrong.not_number", language, question=words, value=str(problem.found))
    return text("form.wrong.not_option", language, question=words)


class _LinkPage(tornado.web.RequestHandler):
    """GET opens a link, POST sends its answers; both answer with a whole HTML page."""

    def initialize(self, site: FormSite) -> None:
        self.site = site

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                                   "form-action 'self'; frame-ancestors 'none'")

    def _answer(self, status: int, page: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)

    def get(self, code: str) -> None:
        """Open a link."""
        self._answer(*self.site.open(code, self.get_query_argument("team", None), self.xsrf_form_html()))

    def post(self, code: str) -> None:
        """Send the answers of a link."""
        fields = {k: self.get_body_argument(k) for k in self.request.body_arguments if k != "_xsrf"}
        try:
            self._answer(*self.site.send(code, fields, self.xsrf_form_html()))
        except (InputError, OSError):
            self._answer(503, self.site.render("unknown"))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Any other failure (a missing XSRF cookie, a malformed request) as a page in the form's
        language, not a traceback."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.site.render("error", status=status_code))


class _NoPage(tornado.web.RequestHandler):
    """Any address but a respondent's link: a page in the form's language saying to use the link."""

    def initialize(self, site: FormSite) -> None:
        self.site = site

    def get(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.site.render("nothing"))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A method other than GET (a POST to the bare address) as the same kind of page."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.site.render("error", status=status_code))


def application(site: FormSite) -> tornado.web.Application:
    """The server's routes: `/f/<code>` for each respondent link, nothing else."""
    return tornado.web.Application(
        [(LINK_PATH + r"([A-Za-z0-9_-]{8,32})", _LinkPage, {"site": site}), (r".*", _NoPage, {"site": site})],
        xsrf_cookies=True, cookie_secret=os.urandom(32).hex(), compress_response=True)


def link_url(host: str, port: int, code: str) -> str:
    """The address a respondent opens."""
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    return f"http://{shown}:{port}{LINK_PATH}{code}"


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager's stop, `kill`) raises KeyboardInterrupt while the form is served, as Ctrl+C
    does; the previous handler comes back after. Only the main thread can set one: elsewhere nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(site: FormSite, host: str, port: int, echo: Callable[[str], None] = print,
          ready: Callable[[], None] | None = None, stopped: Callable[[], None] | None = None) -> int:
    """Answer respondents until stopped (Ctrl+C); 0 when stopped that way, after `stopped` (what
    was collected, for the consultant)."""
    import asyncio

    async def main() -> None:
        server = application(site).listen(port, address=host, xheaders=False)
        try:  # whatever stops it, even a signal while `ready` runs, closes the listening socket
            if ready:
                ready()
            await asyncio.Event().wait()
        finally:
            server.stop()

    links = collected.links(site.period_dir)
    echo(say_count("web.links", len(links), file=str(collected.folder_of(site.period_dir) / collected.LINKS)))
    for k in links:
        mark = " " + say("web.used") if collected.used(site.period_dir, k.code) else ""
        echo(f"  {k.team:<10} {link_url(host, port, k.code)}{mark}")
    if line := collected.links_summary(site.period_dir):
        echo(line)
    echo(say("web.stop"))
    try:
        with _terminate_as_interrupt():  # stopped by the system (SIGTERM) as by Ctrl+C: the summary follows
            asyncio.run(main())
    except KeyboardInterrupt:
        pass
    if stopped:
        stopped()
    return 0
