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
from itertools import pairwise

import markdown
import nh3
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from markdown.treeprocessors import Treeprocessor

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
_ADJACENT_RUNS = re.compile(r"</(strong|em)><\1>")
_LIST_ITEM = re.compile(r"^ {0,3}(?:(?P<number>\d+\.)|[*+-]) +\S")
_AROUND_LINE_BREAK = re.compile(r"[ \t]*<br>\n[ \t]*")


_EMPHASIS = frozenset({"strong", "em"})


def _text_before(parent, index: int, text: str) -> None:
    """Add text just before ``parent[index]`` (or at the end of ``parent``'s own text)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text


def _unwrap(parent, index: int) -> None:
    child = parent[index]
    grandchildren = list(child)
    parent.remove(child)
    _text_before(parent, index, child.text or "")
    for offset, grandchild in enumerate(grandchildren):
        parent.insert(index + offset, grandchild)
    if grandchildren:
        grandchildren[-1].tail = (grandchildren[-1].tail or "") + (child.tail or "")
    else:
        _text_before(parent, index, child.tail or "")


def _tidy_emphasis(parent, open_tags: frozenset = frozenset()) -> None:
    """Put bold and italic into the one shape that can be typed back the same way.

    Runs with nothing visible in them, bold inside bold and italic inside italic are unwrapped;
    spaces at their edges move outside; runs side by side ("*a*_b_") become one.
    """
    index = 0
    while index < len(parent):
        child = parent[index]
        if child.tag in _EMPHASIS and (
            child.tag in open_tags or not "".join(child.itertext()).strip()
        ):
            _unwrap(parent, index)
            continue
        _tidy_emphasis(child, open_tags | {child.tag} if child.tag in _EMPHASIS else open_tags)
        if child.tag in _EMPHASIS:
            index = _move_edges_out(parent, index)
            only = child[0] if len(child) == 1 else None
            # "***bold italic***" reads back as bold around italic, so nest it that way round.
            if (
                child.tag == "em"
                and only is not None
                and only.tag == "strong"
                and not child.text
                and not only.tail
            ):
                child.tag, only.tag = "strong", "em"
        previous = parent[index - 1] if index else None
        if (
            previous is not None
            and previous.tag == child.tag
            and child.tag in _EMPHASIS
            and not previous.tail
        ):
            if len(previous):
                previous[-1].tail = (previous[-1].tail or "") + (child.text or "")
            else:
                previous.text = (previous.text or "") + (child.text or "")
            previous.extend(list(child))
            previous.tail = child.tail
            parent.remove(child)
            continue
        index += 1


def _move_edges_out(parent, index: int) -> int:
    """Move spaces and line breaks at the edges of ``parent[index]`` out of it; return its index."""
    child = parent[index]
    while True:
        text = child.text or ""
        _text_before(parent, index, text[: len(text) - len(text.lstrip())])
        child.text = text.lstrip()
        if child.text or not len(child) or child[0].tag != "br":
            break
        line_break = child[0]
        child.remove(line_break)
        child.text, line_break.tail = line_break.tail, None
        parent.insert(index, line_break)
        index += 1
    while True:
        last = child[-1] if len(child) else None
        end = (last.tail if last is not None else child.text) or ""
        child.tail = end[len(end.rstrip()) :] + (child.tail or "")
        if last is None:
            child.text = end.rstrip()
            break
        last.tail = end.rstrip()
        if last.tail or last.tag != "br":
            break
        child.remove(last)
        last.tail, child.tail = child.tail, None
        parent.insert(index + 1, last)
    return index


class _TidyEmphasis(Treeprocessor):
    def run(self, root):
        _tidy_emphasis(root)


_per_thread = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown converter, built once (a converter is not safe to share)."""
    md = getattr(_per_thread, "markdown", None)
    if md is None:
        md = _per_thread.markdown = _new_markdown()
    return md.reset()


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")
    # After inline patterns (20) have made the elements, before pretty-printing (10).
    md.treeprocessors.register(_TidyEmphasis(md), "tidy_emphasis", 15)
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
    html = _AROUND_LINE_BREAK.sub("<br>\n", sanitise(html))
    # "*a*_b_" makes two italic runs side by side; one reads the same and can be typed back.
    while _ADJACENT_RUNS.search(html):
        html = _ADJACENT_RUNS.sub("", html)
    return html


# --- HTML -> the Markdown that was typed -------------------------------------------------------


class _Element:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list[_Element | str] = []


class _TreeBuilder(HTMLParser):
    """Parse the (already sanitised, so well-formed) subset into a small tree."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag != "br":
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


_BLOCK_TAGS = frozenset({"p", "ul", "ol", "li"})
# Characters Markdown lets a backslash escape (Python-Markdown's list).
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!")
_WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or digit
_LINE_START_MARKER = re.compile(r"^(\s*)(?:([-+])|(\d+)\.)(?=\s)")
_INDENT = " " * 4


def _escape_text(text: str, *, in_link: bool) -> str:
    """Escape what Markdown would otherwise read as formatting in a piece of text."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "\\":
            out.append("\\\\" if (not after or after in _ESCAPABLE) else "\\")
        elif char in "*[" or (char == "]" and in_link):
            out.append("\\" + char)
        elif char == "_" and not (_WORD_CHARACTER.match(before) and _WORD_CHARACTER.match(after)):
            out.append("\\_")
        else:
            out.append(char)
    return "".join(out)


def _escape_line_starts(text: str) -> str:
    """Stop a line of a paragraph that starts like a list item from becoming one."""

    def escape(line: str) -> str:
        match = _LINE_START_MARKER.match(line)
        if not match:
            return line
        indent, bullet, number = match.groups()
        marker = f"\\{bullet}" if bullet else f"{number}\\."
        return indent + marker + line[match.end() :]

    return "\n".join(escape(line) for line in text.split("\n"))


def _ends_with_star(text: str) -> bool:
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return text.endswith("*") and backslashes % 2 == 0


def _inline(nodes: list[_Element | str], *, in_link: bool = False) -> str:
    out: list[str] = []
    after_break = False
    for index, node in enumerate(nodes):
        if isinstance(node, str):
            text = node
            if after_break:
                text = text.lstrip()
            text = re.sub(r"\s*\n\s*", " ", text)
            out.append(_escape_text(text, in_link=in_link))
            after_break = False
            continue
        after_break = node.tag == "br"
        if node.tag == "br":
            out.append("\n")
        elif node.tag in ("strong", "em"):
            inner = _inline(node.children, in_link=in_link)
            if inner.strip():
                mark = "**" if node.tag == "strong" else "*"
                following = nodes[index + 1] if index + 1 < len(nodes) else ""
                if _ends_with_star("".join(out)) and not (
                    isinstance(following, str) and _WORD_CHARACTER.match(following[:1])
                ):
                    mark = mark.replace("*", "_")  # "**a***b*" is ambiguous; "**a**_b_" is not
                out.append(f"{mark}{inner}{mark}")
            else:
                out.append(inner)
        elif node.tag == "a":
            words = _inline(node.children, in_link=True)
            href = node.attrs.get("href", "").replace(" ", "%20")
            if href and out and out[-1].endswith("!") and not out[-1].endswith("\\!"):
                out[-1] = out[-1][:-1] + "\\!"  # "![" would start an image
            out.append(f"[{words}]({href})" if href else words)
        else:
            out.append(_inline(node.children, in_link=in_link))
    return "".join(out)


def _indent(text: str) -> str:
    return "\n".join(_INDENT + line if line else line for line in text.split("\n"))


def _blocks(nodes: list[_Element | str]) -> list[tuple[str, str]]:
    """Serialise a sequence of nodes as (kind, source) blocks; kind is "text", "p" or "list"."""
    blocks: list[tuple[str, str]] = []
    run: list[_Element | str] = []

    def flush(kind: str = "text") -> None:
        text = _escape_line_starts(_inline(run).strip())
        run.clear()
        if text.strip():
            blocks.append((kind, text))

    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCK_TAGS:
            run.append(node)
            continue
        flush()
        if node.tag == "p":
            run.extend(node.children)
            flush("p")
        elif node.tag in ("ul", "ol"):
            items = [child for child in node.children if isinstance(child, _Element)]
            blocks.append(("list", _list(node.tag, items)))
        else:  # a stray <li>
            blocks.append(("list", _list("ul", [node])))
    flush()
    return blocks


def _list_item(marker: str, blocks: list[tuple[str, str]], *, spaced: bool) -> str:
    if not blocks:
        return marker.rstrip()
    kind, first = blocks[0]
    if kind == "list":  # a list straight inside an item ("- - x") keeps its own lines inside it
        head, _, rest = first.partition("\n")
        first = head + ("\n" + _indent(rest) if rest else "")
    text = marker + first
    for position, (kind, block) in enumerate(blocks[1:], start=1):
        # A list straight after the item's words needs a blank line only to make the words a
        # paragraph, which a blank line between items already does.
        first_kind = blocks[0][0]
        tight = (
            position == 1
            and kind == "list"
            and (first_kind == "text" or (first_kind == "p" and spaced))
        )
        text += ("\n" if tight else "\n\n") + _indent(block)
    return text


def _list(tag: str, items: list[_Element]) -> str:
    # Each item is "tight" (words straight after the marker), "loose" (words in paragraphs, which
    # Markdown makes when items are separated by blank lines) or "bare" (only a list inside).
    parsed = []
    for item in (child for child in items if child.tag == "li"):
        blocks = _blocks(item.children)
        if any(kind == "p" for kind, _ in blocks):
            style = "loose"
        else:
            style = "tight" if blocks and blocks[0][0] == "text" else "bare"
        parsed.append((blocks, style))
    blank_before = [False] + [
        "loose" in pair and "tight" not in pair
        for pair in ({a[1], b[1]} for a, b in pairwise(parsed))
    ]
    blank_after = [*blank_before[1:], False]
    out = ""
    for number, (blocks, _style) in enumerate(parsed, start=1):
        if number > 1:
            out += "\n\n" if blank_before[number - 1] else "\n"
        marker = f"{number}. " if tag == "ol" else "- "
        spaced = blank_before[number - 1] or blank_after[number - 1]
        out += _list_item(marker, blocks, spaced=spaced)
    return out


def to_source(html: str) -> str:
    """Turn HTML from :func:`render` back into the Markdown the person would have typed."""
    if not html:
        return ""
    builder = _TreeBuilder()
    builder.feed(sanitise(html))
    builder.close()
    return "\n\n".join(source for _, source in _blocks(builder.root.children))


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
