"""The monthly review's record, review.json: the judged review and what it was judged from, read back
as written, refused when unreadable, and upgraded from the stamp-only file of earlier versions."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from smarketing_assess import __version__
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.review_record import from_json, to_json
from smarketing_assess.records.review_record import SCHEMA_VERSION
from smarketing_assess.running.execute import run_review
from smarketing_assess.running.notebooks import monthly_review, review_record

EXAMPLE = examples_dir() / "brightline-sensors"
# review.json as the toolkit wrote it before reviews were recorded: `smarketing-assess review
# examples/brightline-sensors --month 2026-05`, kept as it was written
STAMP_ONLY = Path(__file__).parent / "fixtures" / "review" / "stamp-only-2026-05.json"


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_the_record_holds_each_verdict_with_its_figures_and_reads_back_byte_for_byte(client):
    record = review_record(client, "2026-05", "en")
    text = to_json(record)
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert (data["month"], data["language"], data["version"]) == ("2026-05", "en", __version__)
    assert sorted(data["inputs"]) == ["2026-Q2/funnel.csv", "plans/2026-04-20.yaml"]
    verdicts = {r["id"]: (r["committed"], r["delivered"], r["status"]) for r in data["review"]["results"]}
    # plans/2026-04-20.yaml commits marketing to 178 MQLs a month; funnel.csv's May row has 170: missed.
    # Sales: first contact within 24 hours, the month's median 16 hours: met.
    assert verdicts["mql_per_month"] == (178, 170, "missed")
    assert verdicts["first_contact"] == (24, 16, "met")
    assert data["review"]["agreed_by"] == ["Head of marketing (Marta Quintela)", "Head of sales (Tomás Ferrand)",
                                          "COO, chair (Inês Babineaux)"]  # plans/2026-04-20.yaml, agreed.by
    assert to_json(from_json(text)) == text
    assert from_json(text) == from_json(to_json(from_json(text)))


def test_floats_are_kept_to_six_decimals(client):
    record = review_record(client, "2026-05", "en")
    assert record.review is not None
    first = dataclasses.replace(record.review.results[0], delivered=170.123456789)
    changed = dataclasses.replace(record, review=dataclasses.replace(record.review, results=[first]))
    text = to_json(changed)
    # 170.123456789 rounded half-even to six decimals: 170.123457
    assert json.loads(text)["review"]["results"][0]["delivered"] == 170.123457
    assert to_json(from_json(text)) == text


def test_a_bad_file_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError) as broken:
        from_json("{not json", "reports/x/reviews/2026-05/review.json")
    assert broken.value.problems[0].file == "reports/x/reviews/2026-05/review.json"
    assert "not a readable review record" in broken.value.problems[0].message
    with pytest.raises(InputError) as wrong:
        from_json(json.dumps({"schema_version": 1, "month": "2026-05", "language": "en", "version": "x",
                              "inputs": {}, "review": {"month": "2026-05"}}), "review.it.json")
    assert wrong.value.problems[0].file == "review.it.json" and "not a valid review record" in wrong.value.summary
    with pytest.raises(InputError, match="another version"):
        from_json(json.dumps({"schema_version": 99}), "review.json")


def test_a_stamp_only_file_of_an_earlier_version_is_upgraded_and_still_dates_its_review(client, tmp_path):
    old = STAMP_ONLY.read_text(encoding="utf-8")
    assert "schema_version" not in old and "review" not in json.loads(old)
    record = from_json(old, str(STAMP_ONLY))
    assert record.schema_version == SCHEMA_VERSION and record.review is None
    assert record.stamp == ("2026-05", "en", "0.1.0", json.loads(old)["inputs"])
    # The example's plan and May's figures are those the file was written from: the review beside
    # it is up to date, and nothing is written again.
    folder = tmp_path / "reports" / "brightline-sensors" / "reviews" / "2026-05"
    folder.mkdir(parents=True)
    (folder / "review.json").write_text(old, encoding="utf-8")
    (folder / "review.html").write_text("<p>the review of May</p>", encoding="utf-8")
    if __version__ == "0.1.0":  # a stamp names the toolkit's version: another version makes it out of date
        done = run_review(client, "2026-05", tmp_path / "reports", progress=False)
        assert done.up_to_date and (folder / "review.json").read_text(encoding="utf-8") == old
    with pytest.raises(InputError, match="holds no judged review"):
        monthly_review(client, "2026-05", "en", folder / "review.json")


def test_the_notebook_renders_the_record_it_is_given_and_judges_nothing(client, tmp_path):
    record = review_record(client, "2026-05", "en")
    assert record.review is not None
    first = dataclasses.replace(record.review.results[0], delivered=190.0, status="met")
    path = tmp_path / "review.json"
    path.write_text(to_json(dataclasses.replace(record, review=dataclasses.replace(
        record.review, results=[first, *record.review.results[1:]]))), encoding="utf-8")
    scorecard = monthly_review(client, "2026-05", "en", path).scorecard()
    # the record says 190 MQLs, met; the figures say 170: the page shows what the record holds
    assert "190" in scorecard and "170" not in scorecard.split("Contact attempts")[0]
