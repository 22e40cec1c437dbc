"""What an agent types becomes safe HTML: nothing that runs, styles or submits survives,
whatever the trick; simple formatting and links do."""

import re

import pytest

from civic.richtext import body_to_text
from newsletters.rendering import TOKEN_PLACEHOLDER, sanitise_body

XSS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<img src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<svg onload=alert(1)><circle r=10></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name=q><button>Go</button></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<style>@import "https://evil.example/x.css";</style>',
    '<div onmouseover="alert(1)">hover</div>',
    '<body onload=alert(1)>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<!--<img src=x onerror=alert(1)>-->',
    '<![CDATA[<script>alert(1)</script>]]>',
    '<p>a</p><scr<script>ipt>alert(1)</scr</script>ipt>',
    '"><script>alert(1)</script>',
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">ok</a>',
    '<img src="https://ok.example/a.png" srcset="javascript:alert(1)">',
    '<details open ontoggle=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<template><script>alert(1)</script></template>',
    '<textarea><script>alert(1)</script></textarea>',
]

DANGEROUS = re.compile(
    r"<\s*(script|style|iframe|object|embed|form|input|button|svg|math|meta|base|link|body|details|textarea|template)"
    r"|\son\w+\s*=|javascript:|vbscript:|data:|style\s*=|srcset|target\s*=",
    re.IGNORECASE)


@pytest.mark.parametrize("payload", XSS)
def test_nothing_that_runs_survives(payload):
    cleaned = sanitise_body(payload)
    assert not DANGEROUS.search(cleaned), cleaned
    assert sanitise_body(cleaned) == cleaned  # sanitising again changes nothing


def test_formatting_links_and_images_are_kept():
    html = ('<h2>Agenda</h2><p><strong>Mardi</strong>, <em>réunion</em> au '
            '<a href="https://www.fleurus.be/agenda?x=1&amp;y=2" title="Agenda">château</a>.</p>'
            '<ul><li>un</li><li>deux</li></ul><img src="https://www.fleurus.be/a.png" alt="Le château">'
            '<p><a href="mailto:info@fleurus.be">Écrire</a> · <a href="/participer/">Participer</a></p>')
    assert sanitise_body(html) == html


def test_unknown_tags_lose_their_markup_but_keep_their_text():
    assert sanitise_body('<div class="x"><span style="color:red">Texte</span></div>') == "<p>Texte</p>"


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert sanitise_body("Bonjour,\n\n1 < 2 & merci\nL'équipe") == (
        "<p>Bonjour,</p>\n\n<p>1 &lt; 2 &amp; merci<br>L'équipe</p>")


def test_the_token_placeholder_cannot_be_typed_into_a_body():
    assert TOKEN_PLACEHOLDER not in sanitise_body(f"<p>Mon jeton {TOKEN_PLACEHOLDER}</p>")


def test_the_text_version_keeps_paragraphs_lists_and_link_addresses():
    text = body_to_text('<h2>Agenda</h2><p>Voir <a href="https://x.example/a">le site</a>.</p>'
                        '<ul><li>un</li><li>deux</li></ul><p>A &amp; B</p>')
    assert text == "Agenda\n\nVoir le site (https://x.example/a).\n\n- un\n- deux\n\nA & B"


def test_images_come_from_http_or_the_site_and_only_in_emails():
    from civic.richtext import sanitise_html

    assert sanitise_body('<p>a<img src="/media/x.png" alt="plan"></p>') == '<p>a<img src="/media/x.png" alt="plan"></p>'
    for src in ("mailto:a@b.example", "tel:+3271", "data:image/png;base64,AAAA", "ftp://x.example/a.png"):
        assert "<img" not in sanitise_body(f'<p>a<img src="{src}" alt="x"></p>'), src
    # The same sanitiser for news pages: their text holds no image (the cover is the image).
    assert sanitise_html('<p>a<img src="https://x.example/a.png"></p>') == "<p>a</p>"
