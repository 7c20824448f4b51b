"""The consultant's words and brand as a report shows them: Markdown as safe HTML, the logo embedded.

markdown-it-py in its CommonMark mode with raw HTML off: a `<script>` or any other tag in the
commentary is shown as text. Links keep only web and mail addresses (the parser already refuses
`javascript:`, `vbscript:`, `file:` and `data:` ones) and open outside the report; images are
not rendered at all, as a report never loads anything from another host.
"""

from __future__ import annotations

import base64
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markupsafe import Markup

from smarketing_assess.config.brand import Brand

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES)


def _link_open(tokens: Any, idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return _renderer.renderToken(tokens, idx, options, env)


_md.validateLink = _validate_link  # type: ignore[method-assign]
_renderer = RendererHTML()
_renderer.rules["link_open"] = _link_open  # type: ignore[assignment]


def markdown_html(source: str) -> Markup:
    """The Markdown as HTML: headings shifted below the report's own, raw HTML escaped."""
    tokens = _md.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"  # a note's heading sits under the section's h2
    return Markup(_renderer.render(tokens, _md.options, {}))


def logo_uri(brand: Brand | None) -> str:
    """The brand's logo as a data URI the report embeds (no file or host is ever linked)."""
    if brand is None or brand.logo is None or brand.logo_type is None:
        return ""
    return f"data:{brand.logo_type};base64,{base64.b64encode(brand.logo).decode('ascii')}"
