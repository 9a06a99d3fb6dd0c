"""Rich text for reviews: a small Markdown subset in, sanitised HTML out.

People type into ordinary textareas (no JavaScript editor). They may use paragraphs, bulleted and
numbered lists, bold, italic, links and line breaks; nothing else survives. Cairn keeps both what
the person typed (in ``<field>_source``, shown back to them when they edit it) and the sanitised
HTML that :func:`render` makes from it (in ``<field>``, shown on pages with the ``rich`` template
filter, which sanitises again): see :func:`store`.

Anything typed that looks like HTML is text: ``<script>`` shows as ``<script>``, never runs.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

import markdown
import nh3
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "a"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# Elements whose content is dropped along with the element, rather than kept as text.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "noscript", "template", "object", "textarea", "title"}
)
_ABSOLUTE_ALLOWED_URL = re.compile(r"^\s*(?:https?|mailto):", re.IGNORECASE)
# A link whose address was refused keeps its words and loses the link.
_LINK_WITHOUT_HREF = re.compile(rf'<a rel="{LINK_REL}">(.*?)</a>', re.DOTALL)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Only absolute addresses: a relative link means nothing in a PDF or an email.
    if tag == "a" and attribute == "href" and not _ABSOLUTE_ALLOWED_URL.match(value):
        return None
    return value


def sanitise(html: str) -> str:
    """Reduce any HTML to the allowed subset. Safe on untrusted input; idempotent."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={"*": set(), **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _LINK_WITHOUT_HREF.sub(r"\1", cleaned).strip()


# --- Markdown subset -> HTML -------------------------------------------------------------------

# Markdown features outside the subset are switched off, so what they would have matched stays
# as the text that was typed: "# Heading" is a paragraph that starts with "#".
_UNUSED_PREPROCESSORS = ("html_block",)
_UNUSED_BLOCK_PROCESSORS = ("code", "hashheader", "setextheader", "hr", "quote", "reference")
_UNUSED_INLINE_PATTERNS = (
    "backtick",
    "reference",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "html",
)

_AMP, _LT = "\ue000", "\ue001"
# Control characters (bar tab and new line) and the stand-ins are never wanted in what is typed.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")
_LEFT_PLACEHOLDER = re.compile("\x02?klzzwxh:\\d+\x03?|[\x02\x03]")
_LIST_ITEM = re.compile(r"^ {0,3}(?:(?P<number>\d+\.)|[*+-]) +\S")
_AROUND_LINE_BREAK = re.compile(r"[ \t]*<br>\n[ \t]*")


_per_thread = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown converter, built once (a converter is not safe to share)."""
    md = getattr(_per_thread, "markdown", None)
    if md is None:
        md = _per_thread.markdown = _new_markdown()
    return md.reset()


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")
    for name in _UNUSED_PREPROCESSORS:
        md.preprocessors.deregister(name)
    for name in _UNUSED_BLOCK_PROCESSORS:
        md.parser.blockprocessors.deregister(name)
    for name in _UNUSED_INLINE_PATTERNS:
        md.inlinePatterns.deregister(name)
    return md


def _let_lists_follow_text(source: str) -> str:
    """Start a list where a line starts with a bullet or number, without needing a blank line.

    People write "We saw:" and then the list on the next line; Markdown would otherwise keep the
    dashes as text in the paragraph. A change from bullets to numbers also starts a new list.
    """
    lines: list[str] = []
    list_kind = None  # "ul" or "ol" while inside a list block
    for line in source.split("\n"):
        if not line.strip():
            list_kind = None
        elif match := _LIST_ITEM.match(line):
            kind = "ol" if match["number"] else "ul"
            if lines and lines[-1].strip() and list_kind != kind:
                lines.append("")
            list_kind = kind
        lines.append(line)
    return "\n".join(lines)


def render(source: str) -> str:
    """Turn the Markdown subset someone typed into sanitised HTML ("" when there is nothing)."""
    if not source or not source.strip():
        return ""
    text = source.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    # Typed HTML is text. "<" and "&" are swapped for stand-ins that Markdown treats as ordinary
    # characters, and written out escaped afterwards, so no tag is ever interpreted and "&lt;"
    # shows as typed rather than as "<".
    text = _CONTROL_CHARACTERS.sub("", text).replace("&", _AMP).replace("<", _LT)
    # Trailing spaces would make Markdown's own hard line breaks; every new line is one anyway.
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    html = _markdown().convert(_let_lists_follow_text(text))
    # A placeholder Markdown failed to put back (it can, with odd runs of stars) is dropped.
    html = _LEFT_PLACEHOLDER.sub("", html).replace(_AMP, "&amp;").replace(_LT, "&lt;")
    return _AROUND_LINE_BREAK.sub("<br>\n", sanitise(html))


# --- Visible text ------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    _PARAGRAPH_TAGS = frozenset(
        {"p", "div", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
    )
    _LINE_TAGS = frozenset({"li", "br", "tr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden += 1
        elif tag in self._PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in self._LINE_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self._LINE_TAGS or tag in self._PARAGRAPH_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED_WITH_CONTENT:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._PARAGRAPH_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(html: str) -> str:
    """The words a reader sees: no tags, entities decoded, blocks on their own lines."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(str(html))
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- Keeping what was typed --------------------------------------------------------------------

SOURCE_SUFFIX = "_source"


def source_name(name: str) -> str:
    """The field that keeps what was typed into the rich-text field ``name``."""
    return name + SOURCE_SUFFIX


def with_sources(*names: str) -> list[str]:
    """Rich-text fields with the fields that keep their source, for ``update_fields``."""
    return [field for name in names for field in (name, source_name(name))]


def typed(source: str | None) -> tuple[str, str]:
    """What someone typed, as Cairn keeps it, and the sanitised HTML made from it."""
    source = (source or "").replace("\r\n", "\n").replace("\r", "\n")
    source = _CONTROL_CHARACTERS.sub("", source).strip()
    return source, render(source)


def as_typed(instance, name: str):
    """``instance.<name>`` as its form shows it: for rich text, what was typed; else the value."""
    try:
        instance._meta.get_field(source_name(name))
    except FieldDoesNotExist:
        return getattr(instance, name)
    return getattr(instance, source_name(name))


def store(instance, name: str, source: str | None) -> str:
    """Keep what was typed in ``<name>_source`` and its sanitised HTML in ``<name>``.

    Pages show the HTML; the form shows the source when someone edits it, so nothing typed is
    ever turned back from HTML. Returns the HTML.
    """
    source, html = typed(source)
    setattr(instance, source_name(name), source)
    setattr(instance, name, html)
    return html


# --- Form field --------------------------------------------------------------------------------

FORMATTING_HELP = _(
    "Leave a blank line between paragraphs. Start a line with - for a bulleted list or 1. for a "
    "numbered list. Put **two stars** round words for bold and *one star* for italic. Write links "
    "as [the words](https://example.org)."
)


_WORDS = re.compile(r"[^\s*_]")


class RichTextField(forms.CharField):
    """A textarea for the Markdown subset. It cleans to what was typed (line ends made plain);
    the service that saves it keeps that beside the sanitised HTML (:func:`store`).

    ``required``, ``max_length`` and ``min_length`` are judged on the visible text, so formatting
    neither counts towards a limit nor makes an empty answer look filled in. Its initial value
    is the stored source, shown as it is.
    """

    widget = forms.Textarea(attrs={"rows": 8})
    default_error_messages = {
        "max_length": _(
            "Shorten this to %(limit_value)d characters or fewer. It has %(show_value)d "
            "characters, not counting formatting."
        ),
        "min_length": _(
            "Write at least %(limit_value)d characters. It has %(show_value)d characters, "
            "not counting formatting."
        ),
    }

    def __init__(self, *, max_length=None, min_length=None, help_text=FORMATTING_HELP, **kwargs):
        super().__init__(help_text=help_text, **kwargs)
        # Set after CharField has built the widget, so the textarea gets no maxlength attribute:
        # the browser would count the formatting characters too.
        self.max_length = max_length
        self.min_length = min_length

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.pop("minlength", None)
        return attrs

    def to_python(self, value):
        source, html = typed(super().to_python(value))
        # Stars and underscores with nothing between them ("**  **") are formatting, not words.
        return source if _WORDS.search(plain_text(html)) else self.empty_value

    def validate(self, value):
        super().validate(value)
        length = len(plain_text(render(value)))
        if self.max_length is not None and length > self.max_length:
            raise ValidationError(
                self.error_messages["max_length"],
                code="max_length",
                params={"limit_value": self.max_length, "show_value": length},
            )
        if self.min_length is not None and value and length < self.min_length:
            raise ValidationError(
                self.error_messages["min_length"],
                code="min_length",
                params={"limit_value": self.min_length, "show_value": length},
            )
