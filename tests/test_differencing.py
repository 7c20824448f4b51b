"""The differencing attack: two published versions of one period, one respondent apart.

A period is reported and sent; one more person answers (or one answer is taken out) and the period
is run again with --force. The attacker holds both versions (the client kept the first; the second
keeps it beside itself as `previous-N`) and subtracts: n_after x mean_after - n_before x mean_before
is the late respondent's score on each question, and n x team score does the same, to within the
rounding, for their team's dimension scores in the workbook. The first tests show the arithmetic is
real on two versions computed from the inputs; the others play the attacker on everything the
publish path leaves (every assessment.json and workbook under the reports folder, the progress
report's quarters) and find nothing: the second version is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import openpyxl
import pytest

from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.model.assessment import to_json
from smarketing_assess.model.published import WHOLE, Clash, clashes, hashed
from smarketing_assess.model.scoring import score, score_answers
from smarketing_assess.presenting.texts import Words
from smarketing_assess.presenting.workbook import workbook
from smarketing_assess.reading.inputs import read_responses
from smarketing_assess.running import published
from smarketing_assess.running.execute import ReportError, run_baseline, run_progress
from smarketing_assess.running.pipeline import assess

Q1, Q2 = Period.parse("2026-Q1"), Period.parse("2026-Q2")
LATE = "R99"


def rows_of(client: Path, period: Period = Q1) -> list[dict[str, str]]:
    with (client / str(period) / "responses.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(client: Path, rows: list[dict[str, str]], period: Period = Q1) -> None:
    with (client / str(period) / "responses.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def add_late(client: Path, like: str = "R03", period: Period = Q1, respondent: str = LATE) -> None:
    """One more salesperson answers, as `like` did (valid answers, a team of 6 becomes 7)."""
    rows = rows_of(client, period)
    rows.append(dict(next(r for r in rows if r["respondent_id"] == like), respondent_id=respondent))
    write_rows(client, rows, period)


def remove(client: Path, respondent: str, period: Period = Q1) -> None:
    write_rows(client, [r for r in rows_of(client, period) if r["respondent_id"] != respondent], period)


def own_scores(client: Path, bank, respondent: str, period: Period = Q1) -> dict[str, float]:
    """What one person's answers score, question by question: what the attacker is after."""
    responses = read_responses(client / str(period) / "responses.csv", bank)[0]
    mine = score_answers(responses[responses["respondent"] == respondent], bank)
    return {str(q): float(s) for q, s in zip(mine["question"], mine["score"], strict=True)}


def own_dimensions(client: Path, bank, respondent: str, period: Period = Q1) -> dict[str, float | None]:
    responses = read_responses(client / str(period) / "responses.csv", bank)[0]
    team = str(responses.loc[responses["respondent"] == respondent, "team"].iloc[0])
    alone = score(responses[responses["respondent"] == respondent], bank, anonymity_threshold=1)
    return {d.dimension: d.teams[team] for d in alone.dimensions}


def recover(before: dict, after: dict) -> dict[str, float]:
    """The attack on two assessment.json files: the answers' scores of whoever is in one and not the other."""
    b = {q["question"]: q for q in before["scores"]["questions"]}
    out = {}
    for q in after["scores"]["questions"]:
        old = b.get(q["question"])
        if old is None or q["mean_score"] is None or old["mean_score"] is None:
            continue
        differ = q["respondents"] - old["respondents"]
        if abs(differ) == 1:  # one answer more or fewer: its score, by subtraction
            total = q["respondents"] * q["mean_score"] - old["respondents"] * old["mean_score"]
            out[q["question"]] = round(total * differ, 3)
    return out


def recover_from_workbooks(before: bytes, after: bytes, n_before: int, n_after: int,
                           team: str = "Sales") -> dict[str, float]:
    """The attack on two workbooks: n x team score, after less before, for each dimension."""
    def table(content: bytes) -> dict[str, float]:
        ws = openpyxl.load_workbook(io.BytesIO(content))["Scores by dimension"]
        rows = list(ws.iter_rows(values_only=True))
        col = rows[0].index(team)
        return {str(r[0]): float(r[col]) for r in rows[1:] if isinstance(r[col], (int, float))}
    b, a = table(before), table(after)
    sign = 1 if n_after > n_before else -1
    return {d: sign * (n_after * a[d] - n_before * b[d]) for d in a if d in b}


def snapped(value: float) -> float:
    """An agreement answer scores 0, 25, 50, 75 or 100: the attacker takes the nearest."""
    return float(min(range(0, 101, 25), key=lambda v: abs(v - value)))


@pytest.mark.parametrize("change", ["added", "removed"])
def test_two_versions_one_apart_give_the_answers_back_however_rounded(client, bank, change):
    """Unguarded, two versions one respondent apart give that respondent's answers back. At six
    decimals (schema 13) every scored answer came back exactly; with the means stored in whole points
    n x mean is off by at most n / 2 (7 / 2 + 6 / 2 = 6.5 points for 6 then 7 answers, 10 for 10 then
    11), less than half the 25 points between two agreement answers: the nearest one is still theirs.
    Measured on the example: 23 of the late respondent's 28 scored answers (23 of R02's 27) come back
    that way. Rounding is no defence; the guard below is."""
    who = LATE if change == "added" else "R02"
    truth = own_scores(client, bank, who) if change == "removed" else {}
    before = json.loads(to_json(assess(client, Q1)))
    add_late(client) if change == "added" else remove(client, who)
    after = json.loads(to_json(assess(client, Q1)))
    truth = truth or own_scores(client, bank, who)
    got = recover(before, after)
    assert len(truth) >= 27 and set(truth) <= set(got)
    assert sum(snapped(got[q]) == truth[q] for q in truth) >= 20


def test_question_aggregates_are_stored_no_finer_than_a_report_shows_them(q1_assessment):
    """A question's mean score in whole points and its share of positive answers in whole percent: the
    exact subtraction of schema 13 (every answer to 0.01) no longer works."""
    qs = [q for q in q1_assessment.scores.questions if q.mean_score is not None]
    assert len(qs) >= 20
    assert all(q.mean_score == int(q.mean_score) for q in qs)
    assert all(q.share_positive is not None and abs(q.share_positive * 100 - round(q.share_positive * 100)) < 1e-9
               for q in qs)
    # mc_between: 10 answers scoring 22.5 on average (to six decimals before) stays 23 (half up)
    assert next(q.mean_score for q in qs if q.question == "mc_between") == 23


def test_the_attack_on_two_workbooks_gives_a_late_respondents_team_scores(client, bank):
    """The workbook shows sales' dimension scores in whole points and sales' 6, then 7, respondents:
    7 x after - 6 x before is the late respondent's own dimension score to within (6 + 7) x 0.5."""
    a = assess(client, Q1)
    before = workbook(a, Words.of("en", a.client.currency))
    add_late(client)
    b = assess(client, Q1)
    after = workbook(b, Words.of("en", b.client.currency))
    guesses = recover_from_workbooks(before, after, 6, 7)
    names = {d.id: d.name["en"] for d in bank.dimensions}
    truth = {names[d]: s for d, s in own_dimensions(client, bank, LATE).items() if s is not None}
    assert len(truth) >= 8
    assert all(abs(guesses[d] - truth[d]) <= 6.5 for d in truth)


# ------------------------------------------------------------------ the guard (pure)

def version(teams: dict[str, set[str]], questions: dict[str, set[str]] | None = None) -> dict:
    return {"teams": hashed(teams, "s"), "questions": hashed(questions or {}, "s")}


def test_a_version_differing_by_fewer_than_the_threshold_clashes():
    # earlier: sales a b c d, marketing e f g. New: sales a b c d x (1 added): the whole differs by 1
    # and sales by 1, both below 3; a third version with x y z added differs by 3: no clash
    earlier = version({"sales": {"a", "b", "c", "d"}, "marketing": {"e", "f", "g"}})
    one = version({"sales": {"a", "b", "c", "d", "x"}, "marketing": {"e", "f", "g"}})
    three = version({"sales": {"a", "b", "c", "d", "x", "y", "z"}, "marketing": {"e", "f", "g"}})
    moved = version({"sales": {"a", "b", "c", "d", "e"}, "marketing": {"f", "g", "h"}})
    assert clashes(one, [earlier], 3) == [Clash(1, WHOLE, 1), Clash(1, "sales", 1)]
    assert clashes(three, [earlier], 3) == []
    assert clashes(earlier, [earlier], 3) == []  # the same people: nothing to subtract
    # e moved to sales, h joined marketing: the whole differs by 1 (h); sales by 1, marketing by 2
    assert clashes(moved, [earlier], 3) == [Clash(1, WHOLE, 1), Clash(1, "marketing", 2), Clash(1, "sales", 1)]
    assert clashes(three, [earlier, one], 3) == [Clash(2, WHOLE, 2), Clash(2, "sales", 2)]


def test_three_more_respondents_but_one_more_answer_to_a_question_clashes():
    # x y z join sales, but only x answers q1: q1's aggregate is over a b c then a b c x, one apart
    earlier = version({"sales": {"a", "b", "c"}}, {"q1": {"a", "b", "c"}, "q2": {"a", "b", "c"}})
    later = version({"sales": {"a", "b", "c", "x", "y", "z"}}, {"q1": {"a", "b", "c", "x"},
                                                               "q2": {"a", "b", "c", "x", "y", "z"}})
    assert clashes(later, [earlier], 3) == [Clash(1, WHOLE, 1, "q1")]


def test_a_skipped_question_is_refused_by_run(client, tmp_path):
    """Three late salespeople (the whole and sales differ by 3), two of whom skip mq_data: its
    aggregate is over 10 answers, then 11, and the one late answer to it would come back."""
    reports = tmp_path / "reports"
    run_baseline(client, Q1, reports, progress=False, paper=False, documents=False)
    for i in range(3):  # all three answer as R03 did, who answered mq_data
        add_late(client, "R03", respondent=f"R9{i}")
    write_rows(client, [dict(r, mq_data="") if r["respondent_id"] in ("R91", "R92") else r for r in rows_of(client)])
    with pytest.raises(ReportError, match="to the question mq_data, fewer"):
        run_baseline(client, Q1, reports, progress=False, paper=False, documents=False, force=True)


def test_the_record_names_nobody(client, bank):
    a = assess(client, Q1)
    published.remember(published.guard(client, Q1, a, bank))
    text = (client / "2026-Q1" / "published.json").read_text(encoding="utf-8")
    ids = {r["respondent_id"] for r in rows_of(client)}
    assert not any(f'"{i}"' in text for i in ids)
    record = json.loads(text)
    assert [sorted(v["teams"]) for v in record["versions"]] == [["marketing", "sales"]]  # leadership withheld
    assert [len(v["teams"]["sales"]) for v in record["versions"]] == [6]
    # mc_between: 6 salespeople and 4 marketers answered it (the leaders are withheld); mc_agenda: nobody shown
    questions = record["versions"][0]["questions"]
    assert len(questions["mc_between"]) == 10 and "mc_agenda" not in questions


def test_an_unreadable_record_is_named(client, bank):
    (client / "2026-Q1" / "published.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        published.guard(client, Q1, assess(client, Q1), bank)
    assert caught.value.problems[0].file == "2026-Q1/published.json"


# ------------------------------------------------------------------ the attacker on what is published

def every_version(reports: Path, name: str) -> list[Path]:
    return sorted(reports.rglob(name))


def attack_everything(reports: Path) -> dict[str, float]:
    """Every pair of published assessment.json files of the period, subtracted."""
    found: dict[str, float] = {}
    texts = [json.loads(p.read_text(encoding="utf-8")) for p in every_version(reports, "assessment.json")]
    for x, y in itertools.permutations(texts, 2):
        if x["period"] == y["period"]:
            found.update(recover(x, y))
    return found


def attack_workbooks(reports: Path) -> dict[str, float]:
    books = [(p, p.read_bytes()) for p in every_version(reports, "report.xlsx")]
    found: dict[str, float] = {}
    for (p, x), (q, y) in itertools.permutations(books, 2):
        nx, ny = (json.loads((f.parent / "assessment.json").read_text(encoding="utf-8"))
                  ["scores"]["respondents"]["sales"] for f in (p, q))
        if abs(nx - ny) == 1:
            found.update(recover_from_workbooks(x, y, nx, ny))
    return found


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_rerun_one_respondent_apart_is_refused_and_nothing_is_recovered(client, tmp_path, change):
    reports = tmp_path / "reports"
    run_baseline(client, Q1, reports, progress=False, paper=False)
    folder = reports / "brightline-sensors" / "2026-Q1"
    first = (folder / "assessment.json").read_text(encoding="utf-8")
    if change == "added":
        add_late(client)
    else:
        remove(client, "R02")
    with pytest.raises(ReportError) as caught:
        run_baseline(client, Q1, reports, progress=False, paper=False, force=True)
    message = str(caught.value)
    assert "by 1 respondent(s)" in message and "threshold of 3" in message and "--earlier-unsent" in message
    assert (folder / "assessment.json").read_text(encoding="utf-8") == first  # nothing published...
    assert not list(reports.rglob("*previous*"))  # ...and nothing moved aside
    assert attack_everything(reports) == {} and attack_workbooks(reports) == {}


def test_three_more_answers_may_be_published(client, tmp_path, bank):
    """At least the threshold apart, the difference is an aggregate of three: published, and recorded.
    (Three who answer the same questions: three who skip different ones can differ by fewer on a
    question, which the next test refuses.)"""
    reports = tmp_path / "reports"
    run_baseline(client, Q1, reports, progress=False, paper=False, documents=False)
    for i in range(3):
        add_late(client, "R03", respondent=f"R9{i}")
    run_baseline(client, Q1, reports, progress=False, paper=False, documents=False, force=True)
    record = json.loads((client / "2026-Q1" / "published.json").read_text(encoding="utf-8"))
    assert [len(v["teams"]["sales"]) for v in record["versions"]] == [6, 9]


def test_earlier_unsent_publishes_and_forgets_the_earlier_versions(client, tmp_path):
    reports = tmp_path / "reports"
    run_baseline(client, Q1, reports, progress=False, paper=False, documents=False)
    add_late(client)
    run_baseline(client, Q1, reports, progress=False, paper=False, documents=False, force=True, earlier_unsent=True)
    record = json.loads((client / "2026-Q1" / "published.json").read_text(encoding="utf-8"))
    assert [len(v["teams"]["sales"]) for v in record["versions"]] == [7]
    assert len(attack_everything(reports)) >= 20  # told the first was never sent, both are there to subtract


@pytest.mark.parametrize("change", ["added", "removed"])
def test_the_progress_report_publishes_no_second_version_one_apart(client, tmp_path, change):
    """The progress report assesses a quarter whose inputs changed since its report: that is a new
    version of the quarter, published in the progress report, and refused as `run` refuses it."""
    reports = tmp_path / "reports"
    for period in (Q1, Q2):
        run_baseline(client, period, reports, progress=False, paper=False, documents=False)
    if change == "added":
        add_late(client, "R03", Q2)
    else:
        remove(client, rows_of(client, Q2)[0]["respondent_id"], Q2)
    with pytest.raises(ReportError, match="by 1 respondent"):
        run_progress(client, reports, progress=False, paper=False)
    assert not (reports / "brightline-sensors" / "progress.json").exists()
