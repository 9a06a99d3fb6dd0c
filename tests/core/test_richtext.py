"""Rich text: the Markdown subset renders as expected, nothing else gets through, and what was
typed is kept beside the HTML, so edits show people exactly what they typed."""

import random
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import SafeString

from core.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    FORMATTING_HELP,
    RichTextField,
    plain_text,
    render,
    sanitise,
    store,
    with_sources,
)
from core.templatetags.richtext import rich, rich_plain

REL = 'rel="noopener noreferrer nofollow"'


class _Markup(HTMLParser):
    """Every tag and attribute in a piece of HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_only_the_subset(html):
    for tag, attrs in _Markup(html).tags:
        assert tag in ALLOWED_TAGS, html
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, ())) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, html
        if tag == "a":
            assert attrs["href"].lower().startswith(("http://", "https://", "mailto:")), html
            assert attrs["rel"] == "noopener noreferrer nofollow"


# --- What people may type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("One paragraph.", "<p>One paragraph.</p>"),
        ("First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>"),
        ("First.\r\n\r\nSecond.", "<p>First.</p>\n<p>Second.</p>"),
        ("Line one\nLine two", "<p>Line one<br>\nLine two</p>"),
        ("- Reading\n- Writing", "<ul>\n<li>Reading</li>\n<li>Writing</li>\n</ul>"),
        ("* Reading\n* Writing", "<ul>\n<li>Reading</li>\n<li>Writing</li>\n</ul>"),
        ("1. Plan\n2. Visit", "<ol>\n<li>Plan</li>\n<li>Visit</li>\n</ol>"),
        (
            "We saw:\n- phonics\n- maths",
            "<p>We saw:</p>\n<ul>\n<li>phonics</li>\n<li>maths</li>\n</ul>",
        ),
        ("**Strong** start", "<p><strong>Strong</strong> start</p>"),
        ("A *careful* plan", "<p>A <em>careful</em> plan</p>"),
        ("A _careful_ plan", "<p>A <em>careful</em> plan</p>"),
        ("***Both***", "<p><strong><em>Both</em></strong></p>"),
        ("snake_case_name stays", "<p>snake_case_name stays</p>"),
        (
            "- **Reading:** *strong*",
            "<ul>\n<li><strong>Reading:</strong> <em>strong</em></li>\n</ul>",
        ),
        (
            "See [the guidance](https://example.org/guide?year=2025&term=spring).",
            '<p>See <a href="https://example.org/guide?year=2025&amp;term=spring" '
            f"{REL}>the guidance</a>.</p>",
        ),
        (
            "[Email the lead](mailto:lead@school.example)",
            f'<p><a href="mailto:lead@school.example" {REL}>Email the lead</a></p>',
        ),
        ("Fish & chips", "<p>Fish &amp; chips</p>"),
        ("5 < 6 > 4", "<p>5 &lt; 6 &gt; 4</p>"),
        # Entities typed are shown as typed, not interpreted.
        ("&lt;b&gt; and &amp;", "<p>&amp;lt;b&amp;gt; and &amp;amp;</p>"),
        ("Not \\*italic\\*", "<p>Not *italic*</p>"),
    ],
)
def test_the_subset_renders(source, html):
    assert render(source) == html
    assert_only_the_subset(html)


@pytest.mark.parametrize("source", ["", "   ", "\n\n  \n", None])
def test_nothing_typed_renders_as_nothing(source):
    assert render(source) == ""


# --- What must not get through -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<b onclick=alert(1)>hi</b>", "<p>&lt;b onclick=alert(1)&gt;hi&lt;/b&gt;</p>"),
        ('<p style="color:red">hi</p>', '<p>&lt;p style="color:red"&gt;hi&lt;/p&gt;</p>'),
        (
            '<iframe src="https://evil.example"></iframe>',
            '<p>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</p>',
        ),
        (
            '<a href="javascript:alert(1)">x</a>',
            '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>',
        ),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>"),
        ("[click](javascript:alert(1))", "<p>click</p>"),
        ("[click](JavaScript:alert(1))", "<p>click</p>"),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", "<p>click</p>"),
        ("[click](vbscript:msgbox)", "<p>click</p>"),
        ("[click](/reviews/1)", "<p>click</p>"),
        ("[click](//evil.example)", "<p>click</p>"),
        (
            "![a chart](https://example.org/chart.png)",
            "<p>![a chart](https://example.org/chart.png)</p>",
        ),
        ("# Heading", "<p># Heading</p>"),
        ("Heading\n=======", "<p>Heading<br>\n=======</p>"),
        ("> quoted", "<p>&gt; quoted</p>"),
        ("`code`", "<p>`code`</p>"),
        ("    indented code", "<p>indented code</p>"),
        ("---", "<p>---</p>"),
        ("<https://example.org>", "<p>&lt;https://example.org&gt;</p>"),
        ("| a | b |\n|---|---|", "<p>| a | b |<br>\n|---|---|</p>"),
    ],
)
def test_anything_else_is_shown_as_text_or_dropped(source, html):
    rendered = render(source)
    assert rendered == html
    assert_only_the_subset(rendered)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ("<style>p { display: none }</style><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="steal()" style="color:red" class="x" id="y">ok</p>', "<p>ok</p>"),
        ('<b onmouseover="steal()">bold</b>', "bold"),
        ('<a href="javascript:alert(1)">x</a>', "x"),
        ('<a href="JAVASCRIPT:alert(1)">x</a>', "x"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "x"),
        ('<a href=" javascript:alert(1)">x</a>', "x"),
        ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "x"),
        ('<a href="/relative">x</a>', "x"),
        (
            '<a href="https://example.org" target="_blank" title="t" onclick="x()">x</a>',
            f'<a href="https://example.org" {REL}>x</a>',
        ),
        (
            '<a href="https://example.org" rel="opener">x</a>',
            f'<a href="https://example.org" {REL}>x</a>',
        ),
        ('<iframe src="https://evil.example">inside</iframe>ok', "ok"),
        ('<img src="x" onerror="alert(1)">ok', "ok"),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ('<object data="x.swf">fallback</object>ok', "ok"),
        ("<h1>Title</h1><p>Body</p>", "Title<p>Body</p>"),
        ("<table><tr><td>cell</td></tr></table>", "cell"),
        ("<p>Fish &amp; chips &lt;script&gt;</p>", "<p>Fish &amp; chips &lt;script&gt;</p>"),
        ("<p>a<br/>b</p>", "<p>a<br>b</p>"),
        ("<!-- note --><p>ok</p>", "<p>ok</p>"),
        ("<p>unclosed <strong>bold", "<p>unclosed <strong>bold</strong></p>"),
    ],
)
def test_sanitise_reduces_any_html_to_the_subset(html, expected):
    cleaned = sanitise(html)
    assert cleaned == expected
    assert_only_the_subset(cleaned)
    assert sanitise(cleaned) == cleaned


IDEMPOTENCE_CASES = [
    "",
    "<p>plain</p>",
    '<p>x<a href="https://example.org/?a=1&amp;b=2">y</a></p>',
    "<ul><li><p>loose</p></li><li>tight<ul><li>nested</li></ul></li></ul>",
    "<p><strong><em>both</em></strong></p>",
    "<table><p>foster</p><td>cell</td></table>",
    "<a href='https://a.example'><a href='https://b.example'>nested</a></a>",
    "<p><ul><li>list in paragraph</li></ul></p>",
    "<em><p>block in inline</p></em>",
    "<form><input value=x><button>go</button></form>text",
    "&lt;script&gt; &amp;amp; &#60;",
]


@pytest.mark.parametrize("html", IDEMPOTENCE_CASES)
def test_sanitise_is_idempotent(html):
    once = sanitise(html)
    assert sanitise(once) == once
    assert_only_the_subset(once)


def test_rendered_html_is_already_sanitised():
    for source in [*REALISTIC_TEXTS, "<script>x</script>", "[x](javascript:y)"]:
        html = render(source)
        assert sanitise(html) == html


# --- Whatever is typed renders only the subset -------------------------------------------------

REALISTIC_TEXTS = [
    "The school has made good progress since the last review.",
    "Leaders know the school well.\n\nThe curriculum is ambitious and well sequenced.",
    "Strengths we saw:\n\n- phonics teaching in Reception\n- behaviour at lunchtime\n- attendance",
    "Next steps:\n\n1. Share the reading plan with governors\n2. Visit Millbrook in spring",
    "- **Reading:** strong and consistent\n- *Writing:* improving, but uneven in Year 4",
    "1. Agree the focus with the **headteacher**\n2. Book *two* visits",
    "Read [the DfE guidance](https://www.gov.uk/guidance/x?year=2025&term=spring&a=b).",
    "Contact [the lead](mailto:lead@school.example?subject=Review%20visit) with questions.",
    "Visit on Tuesday\nFeedback on Friday",
    "Pupils' work is **well presented** and *carefully marked*.",
    "We spoke to:\n\n- the SENCo\n- two subject leads\n\nThey agreed on the priorities.",
    "Pupils said they felt safe & happy.",
    "Maths scores rose 5% (from 68% to 73%).",
    "See page 3 - the section on attendance.",
    "\\- not a list, just a line that starts with a dash",
    "Stars as text: 5 \\* 3 = 15",
    "Year 6 results: 2024 was better than 2023.",
    "Question? Yes! Done.",
    "A heading-like line\n# is just text",
    'Quote: <b>not bold</b> & "not escaped"',
    "- a list item\n    - with a nested item\n- and another",
    "- first point\n\n- second point, with space around it",
    "The school's file_name_here and snake_case stay as they are.",
    "***Very important***",
    "- an item\ncontinued on the next line\n- another",
]


_PIECES = [
    "Pupils",
    "read",
    "well",
    "Year 4",
    "&",
    "<",
    ">",
    "5%",
    "(see notes)",
    "?",
    "!",
    "-",
    "1.",
    "*",
    "_",
    "\\",
    "[",
    "]",
    "#",
    "file_name",
    "**strong**",
    "*italic*",
    "_italic_",
    "***both***",
    "[a link](https://example.org/a?b=1&c=2)",
    "[**bold link**](mailto:lead@school.example)",
]
_LINE_STARTS = ["", "", "", "- ", "1. ", "    - ", "# "]


def _generated_text(rng):
    blocks = []
    for _ in range(rng.randint(1, 4)):
        lines = []
        for _ in range(rng.randint(1, 3)):
            words = " ".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6)))
            lines.append(rng.choice(_LINE_STARTS) + words)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def test_generated_texts_render_only_the_subset():
    rng = random.Random(20250)  # fixed: the same 200 texts every run
    for _ in range(200):
        text = _generated_text(rng)
        html = render(text)
        assert_only_the_subset(html)
        assert sanitise(html) == html, text


# --- Visible text ------------------------------------------------------------------------------


def test_plain_text_is_what_a_reader_sees():
    html = render(
        "**Summary:** fish & chips\nsecond line\n\n- one\n- [two](https://example.org)\n\n1. three"
    )
    assert plain_text(html) == "Summary: fish & chips\nsecond line\n\none\ntwo\n\nthree"


def test_plain_text_ignores_hidden_content_and_decodes_entities():
    assert plain_text("<p>a &lt;b&gt; &amp; c</p><script>var x;</script><style>p{}</style>") == (
        "a <b> & c"
    )
    assert plain_text("") == ""
    assert plain_text("<p>  spread \n  out  </p>") == "spread out"


# --- The form field ----------------------------------------------------------------------------


class ReviewForm(forms.Form):
    summary = RichTextField(label="Summary", max_length=20)
    school = forms.CharField(label="School")


class OptionalForm(forms.Form):
    notes = RichTextField(label="Notes", required=False)


def test_the_field_cleans_to_what_was_typed_with_plain_line_ends():
    form = OptionalForm(data={"notes": "  **Good** <script>x</script>\r\n- one\r\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "**Good** <script>x</script>\n- one"


def test_an_unbound_form_shows_the_stored_source_as_it_is():
    form = ReviewForm(initial={"summary": "**Good** progress <b>"})
    assert form["summary"].value() == "**Good** progress <b>"
    widget = form["summary"].as_widget()
    assert "**Good** progress &lt;b&gt;" in widget
    assert "strong" not in widget


def test_a_bound_form_shows_exactly_what_was_typed_after_an_error():
    typed = "**Good**  progress\r\n- one"
    form = ReviewForm(
        data={"summary": typed, "school": ""},
        initial={"summary": "Old text"},
    )
    assert not form.is_valid()
    assert "school" in form.errors
    assert form["summary"].value() == typed
    assert "Old text" not in form["summary"].as_widget()


def test_a_bound_form_keeps_what_was_typed_when_the_field_itself_fails():
    typed = "This summary is far *too* long"
    form = ReviewForm(data={"summary": typed, "school": "Millbrook"})
    assert not form.is_valid()
    assert form["summary"].value() == typed


@pytest.mark.parametrize("typed", ["", "   ", "**  **", "*\n\n_ _", "\n**\n__ __\n"])
def test_required_is_judged_on_the_visible_text(typed):
    form = ReviewForm(data={"summary": typed, "school": "Millbrook"})
    assert not form.is_valid()
    assert form.errors.as_data()["summary"][0].code == "required"


def test_formatting_alone_is_stored_as_nothing_when_optional():
    form = OptionalForm(data={"notes": "**  **"})
    assert form.is_valid()
    assert form.cleaned_data["notes"] == ""


def test_max_length_counts_visible_text_not_formatting():
    twenty = "**" + "a" * 20 + "**"  # 24 characters typed, 20 seen
    assert ReviewForm(data={"summary": twenty, "school": "M"}).is_valid()

    form = ReviewForm(data={"summary": "[" + "a" * 21 + "](https://example.org)", "school": "M"})
    assert not form.is_valid()
    (error,) = form.errors.as_data()["summary"]
    assert error.code == "max_length"
    assert "20 characters or fewer" in form.errors["summary"][0]
    assert "21 characters" in form.errors["summary"][0]


def test_min_length_counts_visible_text():
    class Form(forms.Form):
        text = RichTextField(min_length=5)

    assert not Form(data={"text": "**abcd**"}).is_valid()
    assert Form(data={"text": "*abcde*"}).is_valid()


def test_the_textarea_has_rows_help_and_no_maxlength():
    field = ReviewForm().fields["summary"]
    assert field.help_text == FORMATTING_HELP
    assert "blank line between paragraphs" in str(FORMATTING_HELP)
    html = ReviewForm()["summary"].as_widget()
    assert "<textarea" in html
    assert 'rows="8"' in html
    assert "maxlength" not in html


def test_the_help_text_can_be_replaced():
    assert RichTextField(help_text="Your own words.").help_text == "Your own words."


def test_has_changed_compares_what_would_be_stored():
    form = ReviewForm(
        data={"summary": "**Good**\r\nprogress \n", "school": "M"},
        initial={"summary": "**Good**\nprogress", "school": "M"},
    )
    assert not form.has_changed()
    form = ReviewForm(
        data={"summary": "**Better** progress", "school": "M"},
        initial={"summary": "**Good** progress", "school": "M"},
    )
    assert form.changed_data == ["summary"]


# --- Keeping what was typed beside the HTML ----------------------------------------------------


class _Note:
    """Stands in for a model with a rich-text field and its source."""

    text = text_source = ""


def test_store_keeps_what_was_typed_beside_the_sanitised_html():
    note = _Note()
    html = store(note, "text", "  **Good** <script>x</script>\r\n- one\x00 \n")
    assert note.text_source == "**Good** <script>x</script>\n- one"
    assert note.text == html == render(note.text_source)
    assert html == (
        "<p><strong>Good</strong> &lt;script&gt;x&lt;/script&gt;</p>\n<ul>\n<li>one</li>\n</ul>"
    )


@pytest.mark.parametrize("source", [None, "", "  \n "])
def test_store_keeps_nothing_as_nothing(source):
    note = _Note()
    store(note, "text", source)
    assert (note.text, note.text_source) == ("", "")


def test_with_sources_names_each_field_and_its_source():
    assert with_sources("found", "did") == ["found", "found_source", "did", "did_source"]


# --- Template filters --------------------------------------------------------------------------

UNSANITISED = (
    '<p onclick="steal()">Hi <script>alert(1)</script>'
    '<a href="javascript:alert(1)">there</a> <img src=x onerror=alert(1)>'
    '<a href="https://example.org" style="color:red">friend</a></p>'
)


def test_rich_sanitises_and_marks_safe():
    output = rich(UNSANITISED)
    assert isinstance(output, SafeString)
    assert output == f'<p>Hi there <a href="https://example.org" {REL}>friend</a></p>'
    assert rich(None) == ""


def test_rich_in_a_template_is_not_escaped_but_is_clean():
    page = Template("{% load richtext %}<div>{{ value|rich }}</div>").render(
        Context({"value": UNSANITISED})
    )
    assert page.startswith("<div><p>Hi there <a href=")
    assert "<script" not in page
    assert "onclick" not in page
    assert "javascript:" not in page
    assert "<img" not in page
    assert "style=" not in page


def test_rich_plain_gives_escaped_visible_text():
    page = Template("{% load richtext %}{{ value|rich_plain }}").render(
        Context({"value": "<p>Fish &amp; <strong>chips</strong></p><script>x</script>"})
    )
    assert page == "Fish &amp; chips"
    assert rich_plain(None) == ""
