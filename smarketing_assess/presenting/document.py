"""A report as a whole document: its contents list, and the same HTML laid out on paper.

The PDF is the HTML report itself, typeset by WeasyPrint with the report's print stylesheet
(`templates/report/smarketing/report.css`, its `@page` and `@media print` rules): the
executive page alone on the first page, page numbers and the running footer (client, period,
"confidential") in the page margins, charts, tiles and table rows never split, table headers
repeated on a new page. Nothing is fetched while it is laid out: the report embeds its charts
and logo, and any other address is refused.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any, cast

# a section the report shows, with its heading: <section class="x" id="x"> ... <h2>Heading</h2>
_SECTION = re.compile(r'<section class="[^"]*" id="(?P<id>[a-z0-9-]+)">\s*<h2>(?P<title>.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
CONTENTS_AFTER = "executive"  # the contents list follows the executive page


def with_contents(html: str, heading: str) -> str:
    """The report with a contents list, linking each section with a heading, after the executive
    page (or at the top of the report when it has none). Reports of fewer than three sections
    are left as they are."""
    entries = [(m["id"], html_lib.unescape(_TAG.sub("", m["title"])).strip()) for m in _SECTION.finditer(html)]
    if len(entries) < 3:
        return html
    items = "".join(f'<li><a href="#{i}">{html_lib.escape(title)}</a></li>' for i, title in entries)
    nav = f'<nav class="contents" aria-label="{html_lib.escape(heading)}"><strong>{html_lib.escape(heading)}</strong>' \
          f"<ol>{items}</ol></nav>\n"
    executive = re.search(rf'<section class="[^"]*" id="{CONTENTS_AFTER}">.*?</section>\s*', html, re.S)
    if executive:
        return html[:executive.end()] + nav + html[executive.end():]
    main = html.find("<main>")
    at = main + len("<main>") if main >= 0 else 0
    return html[:at] + "\n" + nav + html[at:]


def _fetcher() -> Any:
    """WeasyPrint's fetcher for a report: its own data: URIs only, never a file or a host."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def pdf(html: str) -> bytes:
    """The report laid out on paper, as PDF bytes (the paper size is in the report's stylesheet)."""
    import weasyprint  # loads Pango: only when a PDF is asked for

    document = weasyprint.HTML(string=html, url_fetcher=_fetcher(), base_url=None)
    # WeasyPrint has no type annotations; `write_pdf` without a target returns the bytes
    return cast(bytes, document.write_pdf())


def layout(html: str) -> Any:
    """The laid-out document (its pages and their boxes), for measuring how pages fill."""
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_fetcher(), base_url=None).render()
