"""Fill each rich-text field's new ``<field>_source`` from the sanitised HTML saved so far.

From now on the services keep what people type beside the HTML. For text saved before, the
Markdown they would have typed is worked out from the HTML once, here, so that their edit form
shows it. The conversion is copied into this file, not imported: it must stay what it was when
this migration was written.

Published versions are not touched: their content is a frozen snapshot of HTML, never edited.
"""

import re
from html.parser import HTMLParser

from django.db import migrations

RICH_TEXT = {
    "PeerReview": ["pre_review_notes", "report_summary", "impact_review"],
    "SelfReview": ["context", "strengths", "areas_to_develop", "priority_evidence", "questions"],
    "Finding": ["judgement"],
    "Workshop": ["agreed"],
    "PartnershipReview": ["purpose", "values", "introduction", "next_steps"],
    "PriorityNarrative": ["narrative"],
    "SchoolSummary": ["found", "did"],
}

# --- HTML of the subset (p, br, ul, ol, li, strong, em, a) -> Markdown ---------------------------

_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!")
_LINE_START_MARKER = re.compile(r"^(\s*)(?:([-+])|(\d+)\.)(?=\s)")
_BLOCK_TAGS = frozenset({"p", "ul", "ol", "li"})
_INDENT = " " * 4


class _Tree(HTMLParser):
    """The HTML as nested ``[tag, attrs, children]``; children are lists or text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ["root", {}, []]
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag, {name: value or "" for name, value in attrs}, []]
        self.stack[-1][2].append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1][2].append([tag, {name: value or "" for name, value in attrs}, []])

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1][2].append(data)


def _escape(text, in_link):
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "\\":
            out.append("\\\\" if not after or after in _ESCAPABLE else "\\")
        elif char in "*[" or (char == "]" and in_link):
            out.append("\\" + char)
        elif char == "_" and not (before.isalnum() and after.isalnum()):
            out.append("\\_")
        else:
            out.append(char)
    return "".join(out)


def _escape_line_starts(text):
    """A line of words that starts like a list item ("- ", "1. ") stays words."""
    lines = []
    for line in text.split("\n"):
        match = _LINE_START_MARKER.match(line)
        if match:
            indent, bullet, number = match.groups()
            line = indent + (f"\\{bullet}" if bullet else f"{number}\\.") + line[match.end() :]
        lines.append(line)
    return "\n".join(lines)


def _inline(nodes, in_link=False):
    out = ""
    after_break = False
    for node in nodes:
        if isinstance(node, str):
            text = node.lstrip() if after_break else node
            out += _escape(re.sub(r"\s*\n\s*", " ", text), in_link)
            after_break = False
            continue
        tag, attrs, children = node
        after_break = tag == "br"
        if tag == "br":
            out += "\n"
        elif tag in ("strong", "em"):
            inner = _inline(children, in_link)
            mark = "**" if tag == "strong" else "*"
            if out.endswith("*") and not out.endswith("\\*"):
                mark = mark.replace("*", "_")  # "**a***b*" is ambiguous; "**a**_b_" is not
            out += f"{mark}{inner}{mark}" if inner.strip() else inner
        elif tag == "a":
            words = _inline(children, in_link=True)
            href = attrs.get("href", "").replace(" ", "%20")
            if href and out.endswith("!") and not out.endswith("\\!"):
                out = out[:-1] + "\\!"  # "![" would start an image
            out += f"[{words}]({href})" if href else words
        else:
            out += _inline(children, in_link)
    return out


def _indent(text):
    return "\n".join(_INDENT + line if line else line for line in text.split("\n"))


def _blocks(nodes):
    """``(kind, markdown)`` for each block: "text" (words outside a paragraph), "p" or "list"."""
    blocks = []
    run = []

    def flush(kind="text"):
        text = _escape_line_starts(_inline(run).strip())
        run.clear()
        if text.strip():
            blocks.append((kind, text))

    for node in nodes:
        if isinstance(node, str) or node[0] not in _BLOCK_TAGS:
            run.append(node)
            continue
        flush()
        tag, _attrs, children = node
        if tag == "p":
            run.extend(children)
            flush("p")
        elif tag in ("ul", "ol"):
            blocks.append(("list", _list(tag, [c for c in children if not isinstance(c, str)])))
        else:  # a stray <li>
            blocks.append(("list", _list("ul", [node])))
    flush()
    return blocks


def _list(tag, items):
    parsed = [_blocks(item[2]) for item in items if item[0] == "li"]
    # Items holding paragraphs come from items typed with blank lines between them.
    loose = any(kind == "p" for blocks in parsed for kind, _text in blocks)
    lines = []
    for number, blocks in enumerate(parsed, start=1):
        marker = f"{number}. " if tag == "ol" else "- "
        if not blocks:
            lines.append(marker.rstrip())
            continue
        kind, first = blocks[0]
        if kind == "list":  # a list straight inside an item keeps its own lines inside it
            head, _, rest = first.partition("\n")
            first = head + ("\n" + _indent(rest) if rest else "")
        text = marker + first
        for previous, (kind, block) in zip(blocks, blocks[1:], strict=False):
            tight = kind == "list" and previous[0] == "text"
            text += ("\n" if tight else "\n\n") + _indent(block)
        lines.append(text)
    return ("\n\n" if loose else "\n").join(lines)


def markdown_from_html(html):
    """The Markdown that renders as ``html`` (sanitised HTML of the subset)."""
    if not html:
        return ""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return "\n\n".join(text for _kind, text in _blocks(tree.root[2]))


# --- The migration -----------------------------------------------------------------------------


def fill_sources(apps, schema_editor):
    for model_name, fields in RICH_TEXT.items():
        model = apps.get_model("reviews", model_name)
        sources = [name + "_source" for name in fields]
        rows = []
        for row in model.objects.only("pk", *fields, *sources).iterator(chunk_size=500):
            for name, source in zip(fields, sources, strict=True):
                if not getattr(row, source):
                    setattr(row, source, markdown_from_html(getattr(row, name)))
            rows.append(row)
        model.objects.bulk_update(rows, sources, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_rich_text_source")]

    # Going back, the columns are dropped by the migration before this one.
    operations = [migrations.RunPython(fill_sources, migrations.RunPython.noop)]
