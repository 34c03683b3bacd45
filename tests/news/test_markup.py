"""The news body: a small Markdown subset; everything else is stripped or shown as text."""

from html.parser import HTMLParser

import pytest

from news.markup import ALLOWED_TAGS, render_markdown


def html(text: str) -> str:
    return str(render_markdown(text))


def test_markdown_subset_is_rendered():
    out = html("## Titre\n\nDu **gras**, de l'*italique*.\n\n- un\n- deux\n\n> cité\n\n    code")

    assert "<h2>Titre</h2>" in out
    assert "<strong>gras</strong>" in out
    assert "<em>italique</em>" in out
    assert "<ul>\n<li>un</li>" in out
    assert "<blockquote>" in out
    assert "<pre><code>code" in out


def test_headings_start_at_level_two_and_stop_at_four():
    out = html("# Un\n\n###### Six")

    assert out == "<h2>Un</h2>\n<h4>Six</h4>"


def test_links_get_rel_and_keep_their_web_address():
    assert html("[site](https://example.org/page)") == (
        '<p><a href="https://example.org/page" rel="nofollow noopener noreferrer">site</a></p>'
    )


def test_mailto_links_are_kept():
    assert 'href="mailto:' in html("[écrire](mailto:contact@example.org)")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def elements(out: str) -> _Tags:
    parser = _Tags()
    parser.feed(out)
    return parser


def assert_only_allowed(out: str) -> None:
    """Every element is of the subset; only links have attributes, and only these."""
    parsed = elements(out)
    assert parsed.comments == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS
        if tag == "a":
            assert set(attrs) <= {"href", "rel"}
            assert attrs.get("href") is None or attrs["href"].startswith(
                ("http://", "https://", "mailto:")
            )
        else:
            assert attrs == {}


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Avant <script>alert(1)</script> après",
        "<img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">clic</a>',
        '<p onmouseover="alert(1)">survol</p>',
        "<div><b>brut</b></div>",
        "<strong>même une balise permise</strong>",
        '<iframe src="https://example.org"></iframe>',
        "<style>body{display:none}</style>",
        "<!-- commentaire -->",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_raw_html_is_shown_as_text_never_rendered(text):
    out = html(text)

    assert_only_allowed(out)
    assert [tag for tag, _attrs in elements(out).tags] == ["p"]
    assert "&lt;" in out


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#115;cript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "[x](/relative/page)",
        "<javascript:alert(1)>",
    ],
)
def test_links_to_anything_but_web_and_mail_lose_their_address(link):
    out = html(link)

    assert_only_allowed(out)
    assert all("href" not in attrs for _tag, attrs in elements(out).tags)


def test_images_are_not_rendered():
    out = html("![logo](https://example.org/logo.png) ![d](data:image/png;base64,AAAA)")

    assert_only_allowed(out)
    assert "<img" not in out


def test_attribute_syntax_stays_text():
    out = html('## Titre {: onclick="alert(1)" }')

    assert_only_allowed(out)
    assert out.startswith("<h2>Titre")


def test_a_mixed_attack_leaves_only_the_subset():
    out = html(
        "# T\n\n[a](https://ok.example) <a href='javascript:x' onclick=y>b</a>\n\n"
        "<img src=data:image/png;base64,AA onerror=alert(1)>\n\n**fin**"
    )

    assert_only_allowed(out)
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">a</a>' in out
    assert "<strong>fin</strong>" in out
