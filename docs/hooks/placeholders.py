"""The commands' help names paths such as `reports/<client>/<period>/`: in the generated
command-line page that text is Markdown, where `<client>` would be read as an HTML tag and
vanish. This hook shows such placeholders as written."""

import re
from typing import Any

# a lower-case word in angle brackets that is no HTML element
_PLACEHOLDER = re.compile(r"<(client|period|lang|date|client-slug)>")


def on_page_content(html: str, page: Any, **_: Any) -> str:
    """Escape the placeholders of the generated command-line page."""
    if page.file.src_uri != "reference/cli.md":
        return html
    return _PLACEHOLDER.sub(r"&lt;\1&gt;", html)
