"""The one allow-list sanitiser of rich text typed by agents: news items (shown on the site)
and newsletters (sent by email), each with its profile (``WEB``, ``EMAIL``).

Agents type simple HTML (or use the small toolbar of the admin). Two passes:

1. ``nh3`` (the Rust ``ammonia`` sanitiser, in requirements/base.txt): an HTML5 parser, the
   profile's allow-list, links restricted to ``SAFE_SCHEMES`` or relative addresses, the
   content of ``DROPPED_WITH_CONTENT`` removed with it.
2. A normalising pass with the standard library's ``html.parser`` that writes the result
   out again from its tokens only (and on its own would already be safe):

- only the profile's tags (a few are renamed: ``b`` → ``strong``, ``h1`` → ``h2``…); other
  tags are dropped and their text kept, except those of ``DROPPED_WITH_CONTENT`` (script,
  style, iframe, svg…) whose content goes with them;
- only the profile's attributes, each value checked (no ``style``, no ``class``, no event
  handler ever);
- links only to http(s), mailto and tel addresses or to addresses of the site itself,
  images (emails only) only from http(s) or the site, checked after entities are decoded and
  the characters browsers ignore are removed;
- every text and attribute value escaped again, comments and declarations dropped, and
  every tag left open closed at the end: the output is well formed whatever came in.

Text without any tag is taken as plain text: paragraphs and line breaks are kept. The
result always holds some markup (text alone goes in a paragraph), so sanitising it again
changes nothing. ``html_to_text`` and ``body_to_text`` give its text back (a feed's summary,
the text part of an email).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Callable

import nh3
from django.utils.html import linebreaks, strip_tags

WEB_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "hr", "code", "pre", "abbr", "table", "caption", "thead", "tbody", "tr", "th", "td",
}
RENAMED = {"b": "strong", "i": "em", "strike": "s", "del": "s", "ins": "u", "h1": "h2", "h5": "h4", "h6": "h4"}
VOID = {"br", "hr", "img"}
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed",
    "noframes", "template", "textarea", "select", "option", "button", "form", "svg", "math", "title", "head",
    "xmp", "plaintext", "canvas", "audio", "video", "picture", "dialog",
}


def _number(value: str) -> str | None:
    value = value.strip()
    return value if value.isdigit() and 0 < int(value) <= 1000 else None


def _scope(value: str) -> str | None:
    value = value.strip().lower()
    return value if value in {"row", "col", "rowgroup", "colgroup"} else None


def _text(value: str) -> str | None:
    return value[:300]


SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
# Browsers skip these anywhere in an address ("java\tscript:" is "javascript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def safe_url(value: str) -> str | None:
    """``value`` when it is a link to an http(s), mailto or tel address or to the site
    itself ("/…", "#…", "?…", "page/"); None otherwise. Entities are already decoded."""
    cleaned = _CONTROL.sub("", value).strip()
    compact = _IGNORED_IN_URLS.sub("", cleaned)
    if not compact:
        return None
    match = _SCHEME.match(compact)
    if match:
        return cleaned if match.group(1).lower() in SAFE_SCHEMES else None
    # No scheme a browser would recognise: anything that still looks like one is refused
    # (a colon before the first "/", "?" or "#"), the rest is an address on the site.
    head = re.split(r"[/?#\\]", compact, maxsplit=1)[0]
    if ":" in head:
        return None
    return cleaned


def safe_image_url(value: str) -> str | None:
    """An image's address: http(s) or on the site (no mailto, tel or data)."""
    cleaned = safe_url(value)
    if cleaned is None:
        return None
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", cleaned))
    return cleaned if match is None or match.group(1).lower() in {"http", "https"} else None


WEB_ATTRIBUTES = {
    "a": {"href": safe_url, "title": _text},
    "abbr": {"title": _text},
    "ol": {"start": _number},
    "th": {"scope": _scope, "colspan": _number, "rowspan": _number},
    "td": {"colspan": _number, "rowspan": _number},
}


@dataclass(frozen=True)
class Profile:
    """What a kind of text may hold: its tags, their attributes with a check for each
    value, and the attribute without which a tag is dropped (its text kept)."""

    tags: frozenset[str]
    attributes: dict[str, dict[str, Callable[[str], str | None]]]
    required: dict[str, str] = field(default_factory=dict)


# News on the site: no images in the text (the item's cover is its image).
WEB = Profile(tags=frozenset(WEB_TAGS), attributes=WEB_ATTRIBUTES, required={"a": "href"})
# Newsletters: images too, by address (an email carries no upload), with their description.
EMAIL = Profile(
    tags=frozenset(WEB_TAGS | {"img"}),
    attributes={**WEB_ATTRIBUTES, "img": {"src": safe_image_url, "alt": _text, "width": _number,
                                          "height": _number}},
    required={"a": "href", "img": "src"},
)
# The names news/ and the tests read.
ALLOWED_TAGS = WEB.tags
ALLOWED_ATTRIBUTES = WEB.attributes


class _Sanitiser(HTMLParser):
    def __init__(self, profile: Profile = WEB):
        super().__init__(convert_charrefs=True)
        self.profile = profile
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, written) of the elements still open
        self.dropping = 0  # depth inside elements dropped with their content

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in DROPPED_WITH_CONTENT:
            self.dropping += 1
            return
        if self.dropping:
            return
        tag = RENAMED.get(tag, tag)
        if tag not in self.profile.tags:
            return
        checks = self.profile.attributes.get(tag, {})
        kept: dict[str, str] = {}
        for name, value in attrs:
            name = name.lower()
            if name in checks and name not in kept and value is not None:
                checked = checks[name](value)
                if checked is not None:
                    kept[name] = checked
        required = self.profile.required.get(tag)
        written = required is None or required in kept
        if written:
            rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept.items())
            self.out.append(f"<{tag}{rendered}>")
        if tag not in VOID:
            self.open.append((tag, written))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if RENAMED.get(tag.lower(), tag.lower()) not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in DROPPED_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        tag = RENAMED.get(tag, tag)
        if tag in VOID or tag not in {open_tag for open_tag, _written in self.open}:
            return
        while self.open:
            open_tag, written = self.open.pop()
            if written:
                self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data.replace("\x00", ""), quote=False))

    # Comments, doctypes, processing instructions, CDATA sections: never kept.
    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass

    def result(self) -> str:
        self.close()
        while self.open:
            tag, written = self.open.pop()
            if written:
                self.out.append(f"</{tag}>")
        return "".join(self.out).strip()


_TAG = re.compile(r"<[a-zA-Z/!?]")


def sanitise_html(value: str, profile: Profile = WEB) -> str:
    """The allowed part of ``value`` for ``profile``, safe to show as HTML."""
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        value = linebreaks(value, autoescape=True)
    value = nh3.clean(
        value, tags=set(profile.tags) | set(RENAMED), clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={tag: set(checks) for tag, checks in profile.attributes.items()},
        url_schemes=SAFE_SCHEMES, link_rel=None, strip_comments=True)
    parser = _Sanitiser(profile)
    parser.feed(value)
    # Stray closing tags make empty paragraphs in HTML5: they go.
    result = re.sub(r"<p>\s*</p>", "", parser.result()).strip()
    # Always some markup, so that sanitising the result again reads it as HTML, not as
    # plain text to escape a second time.
    if result and not _TAG.search(result):
        result = f"<p>{result}</p>"
    return result


def sanitise_within(value: str, limit: int, profile: Profile = WEB) -> str:
    """``value`` sanitised, refused (ValidationError) when the text to store passes ``limit``
    characters: sanitising may lengthen it (entities, paragraphs), so it is checked as stored."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    text = sanitise_html(value, profile)
    if len(text) > limit:
        raise ValidationError(_("The text is too long once cleaned (%(length)d characters, at most "
                                "%(limit)d).") % {"length": len(text), "limit": limit})
    return text


def html_to_text(value: str) -> str:
    """The text of sanitised HTML, for feeds and short descriptions."""
    from html import unescape

    text = strip_tags(re.sub(r"</(p|li|h[2-4]|blockquote|tr)>|<br>", " ", value or ""))
    return re.sub(r"\s+", " ", unescape(text)).strip()


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
