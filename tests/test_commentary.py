"""The consultant's brand and words: the brand settings file, the quarter's Markdown commentary,
and how a report shows both (safely)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from smarketing_assess.config.brand import load_brand
from smarketing_assess.config.commentary import read_commentary
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.commentary import markdown_html
from smarketing_assess.running.execute import ReportExists, run_baseline
from tests.conftest import EXAMPLE

LOGO = EXAMPLE / "consultancy" / "logo.png"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ brand

def test_a_brand_file_is_read_with_its_logo(tmp_path):
    shutil.copy(LOGO, tmp_path / "logo.png")
    brand = load_brand(write(tmp_path / "brand.yaml", 'name: Acme Advisory\nlogo: logo.png\naccent: "#AA3300"\n'
                                                          'contact: "Acme · hi@acme.example"\n'))
    assert (brand.name, brand.accent, brand.ink, brand.contact) == ("Acme Advisory", "#aa3300", "#1f2933",
                                                                   "Acme · hi@acme.example")
    assert brand.logo == LOGO.read_bytes() and brand.logo_type == "image/png"


def test_every_problem_of_a_brand_file_at_once(tmp_path):
    path = write(tmp_path / "brand.yaml", 'name: Acme\naccent: "#fff; } body { display: none"\nink: red\n'
                                          'colour: "#000000"\n')
    with pytest.raises(InputError) as exc:
        load_brand(path)
    lines = [str(p) for p in exc.value.problems]
    assert len(lines) == 3
    # a settings file has lines, not rows
    assert any("line 2" in s and "'accent' is not a colour" in s and "#rrggbb" in s for s in lines)
    assert any("line 3" in s and "'ink' is not a colour" in s and "'red'" in s for s in lines)
    assert any("line 4" in s and "'colour'" in s for s in lines)


@pytest.mark.parametrize("logo, message", [("missing.png", "does not exist"), ("brand.yaml", "not an image"),
                                           ("logo.svg", "not an image"), ("broken.png", "not the image its name says"),
                                           ("png.jpg", "not the image its name says")])
def test_a_logo_that_cannot_be_embedded_is_named(tmp_path, logo, message):
    write(tmp_path / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "broken.png").write_bytes(LOGO.read_bytes()[:40])
    shutil.copy(LOGO, tmp_path / "png.jpg")
    path = write(tmp_path / "brand.yaml", f"name: Acme\nlogo: {logo}\n")
    with pytest.raises(InputError) as exc:
        load_brand(path)
    (problem,) = exc.value.problems
    assert message in problem.message and problem.row == 2
    assert problem.found == {"broken.png": "unreadable", "png.jpg": "PNG"}.get(logo, logo)


def test_a_brand_named_by_the_client_but_missing_stops_the_run_before_anything_is_written(client, tmp_path):
    yaml = (client / "client.yaml").read_text(encoding="utf-8")
    (client / "client.yaml").write_text(yaml.replace("consultancy/brand.yaml", "nowhere/brand.yaml"), encoding="utf-8")
    write(client / "2026-Q1" / "commentary.md", "# pipeline\nA note.\n")
    with pytest.raises(InputError) as exc:
        run_baseline(client, Period.parse("2026-Q1"), tmp_path / "reports", progress=False)
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == 2  # the brand and the commentary, in one pass
    assert any("brand settings file does not exist" in m for m in messages)
    assert any("commentary.md, row 1" in m and "'pipeline'" in m for m in messages)
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").rglob("report.*"))


# ------------------------------------------------------------- commentary

def test_the_commentary_is_split_into_introduction_and_section_notes(tmp_path):
    path = write(tmp_path / "commentary.md", "An opening.\n\n# Funnel\nOn the funnel.\n\n```\n# sla\n```\n\n"
                                             "# goals\n\n## A sub-heading\nOn the goals.\n")
    c = read_commentary(path)
    assert c is not None
    assert c.note("introduction") == "An opening."
    assert c.note("funnel") == "On the funnel.\n\n```\n# sla\n```"  # a '#' in a code block is text
    assert c.note("goals") == "## A sub-heading\nOn the goals."
    assert c.note("sla") == "" and read_commentary(tmp_path / "none.md") is None


def test_every_unknown_or_repeated_section_is_named_with_its_line(tmp_path):
    path = write(tmp_path / "commentary.md", "Intro\n\n# funel\ntext\n\n# sla\na\n\n# sla\nb\n")
    with pytest.raises(InputError) as exc:
        read_commentary(path)
    first, second = exc.value.problems
    assert (first.row, first.found) == (3, "funel") and "funnel" in (first.expected or "")
    assert second.row == 9 and "already has a note" in second.message


def test_a_commentary_that_is_not_utf8_is_named_with_its_line(tmp_path):
    path = tmp_path / "commentary.md"
    path.write_bytes("first line\nsecond l\u00ednea\n".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_commentary(path)
    assert exc.value.problems[0].row == 2 and "UTF-8" in exc.value.problems[0].message


HOSTILE = ('<script>alert("x")</script> **bold** [site](https://acme.example) [bad](javascript:alert(1)) '
           '[file](file:///etc/passwd) ![pixel](https://tracker.example/p.png) <img src=x onerror=alert(1)> '
           '<a href="javascript:alert(2)">raw</a>')


def test_hostile_markdown_is_shown_as_text():
    html = str(markdown_html(HOSTILE))
    assert "<script" not in html and "<img" not in html and "<a href=\"javascript" not in html
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html
    assert '<a href="https://acme.example" rel="noopener noreferrer">site</a>' in html
    assert 'href="javascript:' not in html and 'href="file:' not in html
    assert 'src="https://tracker.example' not in html  # no image is loaded from any host
    assert re.findall(r"<a href=\"([^\"]+)\"", html) == ["https://acme.example", "https://tracker.example/p.png"]


def test_the_report_shows_the_commentary_where_it_belongs(q1_assessment, tmp_path):
    path = write(tmp_path / "commentary.md", f"Opening {HOSTILE}\n\n# funnel\nFunnel note.\n\n# sla\nSLA note.\n")
    report = BaselineReport(q1_assessment, "en", commentary=read_commentary(path))
    intro = report.introduction()
    assert "Opening" in intro and "<script" not in intro and "The consultant&#39;s view" in intro
    funnel, sla, gaps = report.funnel(), report.sla(), report.gaps()
    assert funnel.rstrip().endswith("</aside></section>") and "Funnel note." in funnel
    assert "SLA note." in sla and "Funnel note." not in sla and "commentary" not in gaps
    assert BaselineReport(q1_assessment, "en").introduction() == ""


def test_the_example_report_carries_the_brand_and_the_commentary(example_reports):
    html = example_reports[("2026-Q2", "en")].read_text(encoding="utf-8")
    assert "--accent: #1d4e5f" in html and 'src="data:image/png;base64,' in html
    assert "prepared by Northwind Advisory" in html.replace("PREPARED BY", "prepared by")
    assert "Northwind Advisory's view" in html and "hello@northwind.example" in html
    funnel = re.search(r'<section class="funnel" id="funnel">.*?</section>', html, re.S).group(0)
    assert "The drop between MQLs and leads sales accepts" in funnel
    assert str(EXAMPLE) not in html and "logo.png" not in html  # embedded, never linked


def test_a_changed_commentary_makes_the_report_out_of_date(client, tmp_path):
    reports = tmp_path / "reports"
    first = run_baseline(client, Period.parse("2026-Q1"), reports, progress=False, paper=False)
    again = run_baseline(client, Period.parse("2026-Q1"), reports, progress=False, paper=False)
    assert again.up_to_date
    write(client / "2026-Q1" / "commentary.md", "A new opening.\n")
    with pytest.raises(ReportExists, match="another commentary or brand"):
        run_baseline(client, Period.parse("2026-Q1"), reports, progress=False, paper=False)
    forced = run_baseline(client, Period.parse("2026-Q1"), reports, progress=False, paper=False, force=True)
    assert "A new opening." in forced.report.read_text(encoding="utf-8")
    assert forced.previous is not None and "A new opening." not in (forced.previous / "report.html").read_text()
    assert first.report == forced.report


def test_the_charts_take_the_brands_colour_and_stay_legible_on_it(example_reports):
    import base64

    html = example_reports[("2026-Q2", "en")].read_text(encoding="utf-8")
    dimensions = re.search(r'<section class="dimensions".*?src="data:image/svg\+xml;base64,([^"]+)"', html, re.S)
    svg = base64.b64decode(dimensions.group(1)).decode("utf-8")
    assert "#1d4e5f" in svg and "#3e6e8e" not in svg  # the brand's accent, not the default blue
    from smarketing_assess.presenting.colours import contrast, readable_on

    # a score written on a bar: white on the example's dark teal, ink on a light yellow (WCAG 4.5:1 or the better)
    assert readable_on("#1d4e5f", "#1f2933") == "#ffffff" and contrast("#ffffff", "#1d4e5f") >= 4.5
    assert readable_on("#ffee88", "#1f2933") == "#1f2933"


def test_a_brand_file_that_is_not_yaml_is_listed_with_the_other_inputs_problems(client, tmp_path):
    write(client / "consultancy" / "brand.yaml", "name: [unclosed\n")
    funnel = client / "2026-Q1" / "funnel.csv"
    funnel.write_text(funnel.read_text(encoding="utf-8").replace("2026-01", "January", 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run_baseline(client, Period.parse("2026-Q1"), tmp_path / "reports", progress=False)
    files = {Path(p.file).name for p in exc.value.problems}
    assert {"brand.yaml", "funnel.csv"} <= files  # both, in one pass
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").rglob("report.*"))
