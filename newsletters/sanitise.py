"""The body of a newsletter: an allow-list of HTML (nh3, the Rust ``ammonia`` sanitiser),
and its plain-text version for the text part of the email.

Only the tags of ``TAGS`` survive, with the attributes of ``ATTRIBUTES``; links and images
only with http(s) (links also mailto and tel) or addresses relative to the site, which the
email makes absolute on the commune's domain. ``script``, ``style`` and the like go with
their content; comments go; everything is re-serialised by an HTML5 parser, so what comes
out is well formed whatever came in. Text without any tag is taken as plain text:
paragraphs and line breaks are kept; the result always holds some markup, so sanitising it
again changes nothing.
"""

import re
from html.parser import HTMLParser

import nh3
from django.utils.html import linebreaks

# Stands for each recipient's token while an email is rendered once for everybody
# (newsletters/rendering.py); never allowed in a body.
TOKEN_PLACEHOLDER = "xCIVICTOKENx"

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "hr", "img", "table", "caption", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROPPED_WITH_CONTENT = {"script", "style", "title", "textarea", "select", "option", "noscript", "template"}

_cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                       clean_content_tags=DROPPED_WITH_CONTENT, strip_comments=True, link_rel=None)
_TAG = re.compile(r"<[a-zA-Z/!?]")


def sanitise_body(value: str) -> str:
    """The allowed part of ``value``, safe to put in an email or a page as HTML."""
    value = (value or "").replace("\r\n", "\n").replace(TOKEN_PLACEHOLDER, "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        value = linebreaks(value, autoescape=True)
    cleaned = _cleaner.clean(value).strip()
    # Always some markup, so that sanitising the result again reads it as HTML too.
    if cleaned and not _TAG.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


_BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "tr", "caption", "hr"}


class _TextWriter(HTMLParser):
    """Sanitised HTML to readable text: paragraphs separated by a blank line, list items
    with a dash, links as "text (address)", images as their description."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []  # (href, index in parts where its text starts)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        if tag == "hr":
            self.parts.append("----\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img" and attrs.get("alt"):
            self.parts.append(f"[{attrs['alt']}]")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.parts[start:]).strip()
            if href and href != text and not href.startswith(("mailto:", "tel:")):
                self.parts.append(f" ({href})")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        self.close()
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def body_to_text(html: str) -> str:
    """The text part of an email whose HTML part shows ``html`` (already sanitised)."""
    writer = _TextWriter()
    writer.feed(html or "")
    return writer.text()
