"""An allow-list sanitiser for the rich text of news items.

Agents type simple HTML (or use the small toolbar of the admin). Two passes:

1. ``nh3`` (the Rust ``ammonia`` sanitiser, in requirements/base.txt): an HTML5 parser, the
   allow-list below, links restricted to ``SAFE_SCHEMES`` or relative addresses, the
   content of ``DROPPED_WITH_CONTENT`` removed with it.
2. A normalising pass with the standard library's ``html.parser`` that writes the result
   out again from its tokens only (and on its own would already be safe):

- only the tags of ``ALLOWED_TAGS`` (a few are renamed: ``b`` → ``strong``, ``h1`` → ``h2``…);
  other tags are dropped and their text kept, except those of ``DROPPED_WITH_CONTENT``
  (script, style, iframe, svg…) whose content goes with them;
- only the attributes of ``ALLOWED_ATTRIBUTES``, each value checked (no ``style``, no
  ``class``, no event handler ever);
- links only to http(s), mailto and tel addresses or to addresses of the site itself,
  checked after entities are decoded and the characters browsers ignore are removed;
- every text and attribute value escaped again, comments and declarations dropped, and
  every tag left open closed at the end: the output is well formed whatever came in.

Text without any tag is taken as plain text: paragraphs and line breaks are kept. The
result always holds some markup (text alone goes in a paragraph), so sanitising it again
changes nothing.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import nh3
from django.utils.html import linebreaks, strip_tags

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "hr", "code", "pre", "abbr", "table", "caption", "thead", "tbody", "tr", "th", "td",
}
RENAMED = {"b": "strong", "i": "em", "strike": "s", "del": "s", "ins": "u", "h1": "h2", "h5": "h4", "h6": "h4"}
VOID = {"br", "hr"}
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


ALLOWED_ATTRIBUTES = {
    "a": {"href": safe_url, "title": _text},
    "abbr": {"title": _text},
    "ol": {"start": _number},
    "th": {"scope": _scope, "colspan": _number, "rowspan": _number},
    "td": {"colspan": _number, "rowspan": _number},
}
# Kept only with these attributes (a link without a safe address is plain text).
REQUIRED_ATTRIBUTES = {"a": "href"}


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
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
        if tag not in ALLOWED_TAGS:
            return
        checks = ALLOWED_ATTRIBUTES.get(tag, {})
        kept: dict[str, str] = {}
        for name, value in attrs:
            name = name.lower()
            if name in checks and name not in kept and value is not None:
                checked = checks[name](value)
                if checked is not None:
                    kept[name] = checked
        required = REQUIRED_ATTRIBUTES.get(tag)
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


def sanitise_html(value: str) -> str:
    """The allowed part of ``value``, safe to show as HTML."""
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        value = linebreaks(value, autoescape=True)
    value = nh3.clean(
        value, tags=ALLOWED_TAGS | set(RENAMED), clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={tag: set(checks) for tag, checks in ALLOWED_ATTRIBUTES.items()},
        url_schemes=SAFE_SCHEMES, link_rel=None, strip_comments=True)
    parser = _Sanitiser()
    parser.feed(value)
    # Stray closing tags make empty paragraphs in HTML5: they go.
    result = re.sub(r"<p>\s*</p>", "", parser.result()).strip()
    # Always some markup, so that sanitising the result again reads it as HTML, not as
    # plain text to escape a second time.
    if result and not _TAG.search(result):
        result = f"<p>{result}</p>"
    return result


def html_to_text(value: str) -> str:
    """The text of sanitised HTML, for feeds and short descriptions."""
    from html import unescape

    text = strip_tags(re.sub(r"</(p|li|h[2-4]|blockquote|tr)>|<br>", " ", value or ""))
    return re.sub(r"\s+", " ", unescape(text)).strip()
