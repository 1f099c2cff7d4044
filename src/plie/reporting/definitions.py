"""The indicators' definitions as the application shows them: docs/indicators.md, the
document the figures are computed and tested from, rendered as a page, so that whoever
reads a figure can read what it counts, edge cases included (one text, never two)."""

import functools
from pathlib import Path

import markdown
from django.conf import settings

DEFINITIONS = Path(settings.PROJECT_DIR) / "docs" / "indicators.md"


def definitions_html() -> str | None:
    """The document as HTML (headings with anchors), or None if the installation has no
    docs/ folder. Rendered again only when the file changes."""
    try:
        modified = DEFINITIONS.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _render(modified)


@functools.lru_cache(maxsize=1)
def _render(modified: int) -> str:
    text = DEFINITIONS.read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["tables", "toc", "sane_lists"], output_format="html")
