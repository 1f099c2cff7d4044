"""The indicators' definitions as the application shows them: docs/indicators.md, the
document the figures are computed and tested from, rendered as a page, so that whoever
reads a figure can read what it counts, edge cases included (one text, never two). The
page leaves out what is written for developers (the sections on the code and the command,
and the passages between `<!-- dev -->` and `<!-- /dev -->`), names each figure by its
French label where the document gives its code name, and opens on a table of contents."""

import functools
import re
from pathlib import Path

import markdown
from django.conf import settings

from plie.reporting.catalogue import FIGURES

DEFINITIONS = Path(settings.PROJECT_DIR) / "docs" / "indicators.md"
# Sections (second-level headings) written for developers, left out of the page.
FOR_DEVELOPERS = ("Dans le code", "La commande `plie indicators`")
_CODE_NAMES = re.compile(r"\s+—\s+`[^`]+`(,\s*`[^`]+`)*\s*$")
_FOR_DEVELOPERS_ONLY = re.compile(r"<!-- dev -->.*?<!-- /dev -->", re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_CODE_SPAN = re.compile(r"`([a-z_0-9]+)`")
_LABELS = {figure.key: figure.label for figure in FIGURES}


def _label(match: re.Match) -> str:
    label = _LABELS.get(match.group(1))
    return f"« {label} »" if label else match.group(0)


def definitions_html() -> str | None:
    """The document as HTML, or None if the installation has no docs/ folder. Rendered
    again only when the file changes."""
    try:
        modified = DEFINITIONS.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _render(modified)


def for_readers(text: str) -> str:
    """The document without its developers' sections, headings without code names, and a
    table of contents before its first section."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            if not any(kept_line.startswith("## ") for kept_line in kept):
                kept += ["**Sommaire**", "", "[TOC]", ""]
            skipping = line[3:].strip() in FOR_DEVELOPERS
        if skipping:
            continue
        kept.append(_CODE_NAMES.sub("", line) if line.startswith("#") else line)
    text = _COMMENTS.sub("", _FOR_DEVELOPERS_ONLY.sub("", "\n".join(kept)))
    return _CODE_SPAN.sub(_label, text)


@functools.lru_cache(maxsize=1)
def _render(modified: int) -> str:
    return markdown.markdown(
        for_readers(DEFINITIONS.read_text(encoding="utf-8")),
        extensions=["tables", "toc", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-2"}},
        output_format="html",
    )
