"""What the reports say agree with what they show, in every language.

The consistency check reads each rendered report of the example (both quarters, all four
languages), pulls every number out of every generated sentence (paragraphs, list items, the
channel advice, notes) and fails unless the same number, formatted the same way, is shown in
a table, a tile or the maturity scale of the same section, or is a value of the quarter's
`assessment.json` that any section may name (the client's settings, the method's thresholds,
the previous quarter's index), written by the report's own formatter. The executive summary
and the method appendix speak about the whole report, so any section's figures count for
them. Numbers written into a catalog text itself (the "95%" of "95% interval") are words, not
figures. Then the totals shown with their parts are added up as a reader would, and no
sentence may appear twice.

The same check reads the example's progress report and its monthly review, each section as its
notebook shows it, in the four languages: there the values any section may name are the
thresholds the record used (the points a move needs, the minimum basis) and the number of
quarters covered; the review's agenda speaks of the whole review.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from smarketing_assess.config.benchmarks import load_benchmarks
from smarketing_assess.core.catalogs import pick, report_texts
from smarketing_assess.model.assessment import from_json, to_json
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.presenting.texts import Words, source_line
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.evidence import MIN_BASIS

bs4 = pytest.importorskip("bs4")

LANGUAGES = ("en", "pt-BR", "es", "it")
PERIODS = ("2026-Q1", "2026-Q2")
# a number as the four locales write it: grouping, decimals, an optional percent sign
NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:[\u00a0\u202f ]?%)?")
SENTENCES = "p, li, .callout"  # generated prose; tables, tiles and the scale are the figures shown
SHOWN = "table, .tile, ol.scale"
WHOLE_REPORT = {"executive", "method"}


@pytest.fixture(scope="module")
def reports(example_reports) -> dict[tuple[str, str], tuple[Any, Assessment]]:
    """Each quarter's report in each language, parsed, with its stored assessment."""
    out = {}
    for (period, language), report in example_reports.items():
        html = report.read_text(encoding="utf-8")
        stored = from_json((report.parent / "assessment.json").read_text(encoding="utf-8"))
        out[(period, language)] = (bs4.BeautifulSoup(html, "html.parser"), stored)
    return out


def tokens(text: str) -> set[str]:
    return {m.group(0).replace("\u202f", "\u00a0") for m in NUMBER.finditer(text)}


def formatted(value: Any, words: Words) -> set[str]:
    """Every way the report's formatter writes the numbers of a JSON value."""
    out: set[str] = set()
    if isinstance(value, dict):
        for v in value.values():
            out |= formatted(v, words)
    elif isinstance(value, list):
        for v in value:
            out |= formatted(v, words)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out |= {words.num(value), words.num(value, 1), words.money(value)}
        if -1.5 <= value <= 1.5:
            out |= {words.pct(value, d) for d in (0, 1, 2)}
    return {t for s in out for t in tokens(s)}


def scrub(text: str, language: str, assessment: Assessment) -> str:
    """The text without what is not a figure: periods, dates, benchmark citations."""
    text = re.sub(r"\d{4}-Q\d", " ", text)
    text = re.sub(r"plans/\d{4}-\d{2}-\d{2}\.yaml", " ", text)  # an input file's name
    days = {date.today(), *(date.fromisoformat(g.deadline) for g in assessment.goals)}
    if assessment.plan is not None:  # the plan's dates: when it was agreed, its deadlines
        plan = assessment.plan
        days |= {date.fromisoformat(d) for d in (plan.agreed_on, *(c.agreed_on for c in plan.changes),
                                                 *(g.deadline for g in plan.goals),
                                                 *(g.suggested_deadline for g in plan.goals if g.suggested_deadline))}
    for d in days:
        for width in ("short", "medium", "long"):
            text = text.replace(fmt.day(d, language, width), " ")
    for b in load_benchmarks().rates.values():
        text = text.replace(source_line(b.source), " ")
    return text


def literal_numbers(language: str) -> set[str]:
    """Numbers written into the catalog texts themselves (words, not figures)."""
    return {t for loc in report_texts().values() for t in tokens(pick(loc, language))}


def allowed_everywhere(assessment: Assessment, language: str, previous: Assessment | None) -> set[str]:
    """The figures any section may name without a table beside it: the client's settings and the
    method's thresholds (all in assessment.json), and the index of the quarter before."""
    words = Words.of(language, assessment.client.currency)
    data = _plain(assessment)
    sla, scores = data["sla"], data["scores"]
    settings = [scores["gap_threshold"], scores["anonymity_threshold"], data["evidence"],
                {k: sla[k] for k in ("revenue_goal", "average_deal_size", "followup_sla_hours", "contact_attempts",
                                     "sales_reps")}]
    if previous is not None:
        settings += [_plain(previous)["scores"][k] for k in ("alignment_index", "maturity_level")]
        settings += [scores[k] for k in ("alignment_index", "maturity_level")]
    out = formatted(settings, words) | literal_numbers(language)
    out |= tokens(words.num(len(assessment.questions))) | tokens(assessment.question_bank_version)
    return out


def _plain(a: Assessment) -> Any:
    return json.loads(to_json(a))


def consultants(element) -> bool:
    """Whether an element is the consultant's own commentary: their words, not the report's figures."""
    return element.find_parent(class_="commentary") is not None


def unexplained(soup, assessment: Assessment, language: str, previous: Assessment | None) -> list[str]:
    """Each number of a sentence that no table, tile or assessment value of its scope shows."""
    return unshown(soup, allowed_everywhere(assessment, language, previous), WHOLE_REPORT,
                   lambda text: scrub(text, language, assessment))


def unshown(soup, everywhere: set[str], whole: set[str], clean: Callable[[str], str]) -> list[str]:
    """Each number of a sentence (once `clean` took out what is not a figure) that no table or tile of its
    section shows, nor `everywhere`; a section of `whole` speaks of the whole report."""
    sections = {" ".join(s.get("class", [])): s for s in soup.find_all("section")}
    shown = {name: set().union(*(tokens(clean(e.get_text(" "))) for e in s.select(SHOWN)))
             for name, s in sections.items()}
    anywhere = set().union(*shown.values())
    problems = []
    for name, section in sections.items():
        scope = shown[name] | everywhere | (anywhere if name in whole else set())
        for element in section.select(SENTENCES):
            if element.find_parent("table") or "sources" in element.get("class", []) or consultants(element):
                continue
            sentence = clean(element.get_text(" "))
            for number in tokens(sentence) - scope:
                problems.append(f"{name}: {number!r} in {' '.join(sentence.split())[:160]!r}")
    return problems


@pytest.fixture(scope="module")
def progress_reports() -> dict[str, Any]:
    """The example's progress report in each language, every section as its notebook shows it."""
    from smarketing_assess.running.notebooks import progress_report

    return {language: progress_report(language=language) for language in LANGUAGES}


@pytest.fixture(scope="module")
def reviews() -> dict[str, Any]:
    """The example's monthly review (its latest month) in each language, as its notebook shows it."""
    from smarketing_assess.running.notebooks import monthly_review

    return {language: monthly_review(language=language) for language in LANGUAGES}


PROGRESS_SECTIONS = ("cover", "summary", "dimensions", "measures", "goal_attainment", "sla")
REVIEW_SECTIONS = ("cover", "scorecard", "agenda", "reasons", "trend", "goals")


def progress_problems(report, language: str) -> list[str]:
    """The numbers of the progress report's sentences that its sections do not show."""
    soup = bs4.BeautifulSoup("".join(getattr(report, name)() for name in PROGRESS_SECTIONS), "html.parser")
    words = report.words
    everywhere = tokens(words.num(report.progress.move)) | tokens(words.num(len(report.progress.periods)))
    everywhere |= literal_numbers(language)

    def clean(text: str) -> str:
        for quarter in report.quarters:  # the periods, the plans' and goals' dates
            text = scrub(text, language, quarter)
        return text

    return unshown(soup, everywhere, set(), clean)


def review_problems(report, language: str) -> list[str]:
    """The numbers of the monthly review's sentences that its sections do not show."""
    soup = bs4.BeautifulSoup("".join(getattr(report, name)() for name in REVIEW_SECTIONS), "html.parser")
    review, words = report.review, report.words
    everywhere = tokens(words.num(MIN_BASIS)) | literal_numbers(language)
    days = {date.today(), review.agreed_on, *(d.goal.deadline for d in review.goals_due)}
    months = {review.month, *(m for m, _ in review.trend)}

    def clean(text: str) -> str:
        for d in days:
            for width in ("short", "medium", "long"):
                text = text.replace(fmt.day(d, language, width), " ")
        for m in months:
            for short in (False, True):
                text = text.replace(fmt.month(m, language, short=short), " ")
        return text

    return unshown(soup, everywhere, {"agenda"}, clean)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_number_in_a_sentence_of_the_progress_report_is_shown(progress_reports, language):
    assert progress_problems(progress_reports[language], language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_number_in_a_sentence_of_the_monthly_review_is_shown(reviews, language):
    assert review_problems(reviews[language], language) == []


def test_the_check_catches_a_count_the_progress_summary_does_not_show(progress_reports):
    report = progress_reports["en"]

    class Unshown:  # the summary's sentences as they were, without the table of the counts they give
        def __getattr__(self, name: str) -> Any:
            return getattr(report, name)

        def summary(self) -> str:
            html = report.summary()
            return re.sub(r'<table class="compact verdicts">.*?</table>', "", html, flags=re.S)

    problems = progress_problems(Unshown(), "en")
    # "9 dimensions rose by 5 points or more" and "2 of the 7 goals": 9 and 7 are shown nowhere else
    assert sorted(p.split(" in ")[0] for p in problems) == ["summary: '7'", "summary: '9'"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("period", PERIODS)
def test_every_number_in_a_sentence_is_shown_in_the_report(reports, period, language):
    soup, assessment = reports[(period, language)]
    previous = reports[("2026-Q1", language)][1] if period == "2026-Q2" else None
    assert unexplained(soup, assessment, language, previous) == []


def test_the_check_catches_a_figure_that_is_not_shown(reports):
    soup, assessment = reports[("2026-Q1", "en")]
    soup = bs4.BeautifulSoup(str(soup), "html.parser")
    gap = soup.select_one("section.gaps li")
    gap.string = gap.get_text() + " In the field offices the gap is 4 points (97 against 93)."
    problems = unexplained(soup, assessment, "en", None)
    assert sorted(p.split(" in ")[0] for p in problems) == ["gaps: '4'", "gaps: '93'", "gaps: '97'"]


def table_rows(section) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in section.select("tbody tr")]


def number(text: str, language: str) -> float:
    """A shown figure read back as a reader would (grouping dropped, the locale's decimal mark)."""
    decimal = "." if language == "en" else ","
    group = "," if language == "en" else "."
    digits = re.sub(r"[^\d.,\-−+]", "", text).replace("−", "-").replace(group, "").replace(decimal, ".")
    return float(digits)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("period", PERIODS)
def test_totals_and_differences_add_up_as_shown(reports, period, language):
    soup, _ = reports[(period, language)]
    executive = soup.select_one("section.executive")
    *counts, total = (number(td.get_text(), language)
                      for td in executive.select("table.exec-respondents tbody td") if td.get_text().strip())
    assert len(counts) == 3 and sum(counts) == total
    for name, *cells in table_rows(soup.select_one("section.gaps")):  # marketing - sales = difference
        marketing, sales, difference = (number(c, language) for c in cells)
        assert marketing - sales == difference, name
    for name, quarter, month, _day, _now in table_rows(soup.select_one("section.sla"))[:4]:  # then per rep
        # the quarter is the commitment, a whole number; a month a third of it, shown to one decimal
        if re.search(r"\d", quarter):
            assert number(month, language) == round(number(quarter, language) / 3, 1), name
    for row in table_rows(soup.select_one("section.dimensions")):  # overall = mean of the shown teams, rounded
        overall, teams = number(row[1], language), [number(c, language) for c in row[2:] if re.search(r"\d", c)]
        assert abs(overall - sum(teams) / len(teams)) <= 0.5, row[0]
    index = number(executive.select_one(".metric-value").get_text(), language)
    mean, gap = (number(t, language) for t in NUMBER.findall(executive.select_one("p.muted").get_text())[:2])
    assert abs(index - (mean - 0.5 * gap)) <= 0.5  # the explanation's own figures give the index


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("period", PERIODS)
def test_no_sentence_is_said_twice(reports, period, language):
    soup, _ = reports[(period, language)]
    said = Counter()
    for element in soup.select(SENTENCES):
        if element.find_parent("table") or consultants(element):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(element.get_text(" ").split())):
            if len(sentence.split()) >= 6:
                said[sentence] += 1
    assert [s for s, n in said.items() if n > 1] == []
