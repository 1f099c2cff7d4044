"""Charts drawn on the server by matplotlib as SVG text, so that the same chart goes on a
page and into a PDF, always with its data table beside it.

A chart is plain data (a title, category labels, one or more series of counts) turned into
an SVG string: nothing is written to disk and no display is needed (Agg backend). The page
sends a strict Content-Security-Policy (no inline style), so matplotlib's `<style>` element
and `style="…"` attributes are rewritten as SVG presentation attributes, which CSP allows.
A count hidden from the steering committee (`core.suppression.Hidden`) is drawn as an empty
bar labelled with its mark (« < 5 », « masqué »), as its table cell reads.
"""

import dataclasses
import hashlib
import html
import io
import re
import textwrap

import matplotlib
from django.core.cache import cache

from plie.core import formatting
from plie.core.suppression import Hidden

matplotlib.use("Agg")

from matplotlib.figure import Figure

PRINT_WIDTH = 4.3  # inches: about two thirds of an A4 page's text width
LABEL_WIDTH = 30  # characters of a horizontal bar's label per line, on two lines at most
# Accessible palette (Okabe–Ito), dark enough to read against white; series also differ by
# hatching so that colour is never the only clue.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9")
HATCHES = ("", "//", "..", "xx", "\\\\")
RC = {
    "svg.fonttype": "none",  # real <text>: searchable, readable by screen readers, small
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclasses.dataclass(frozen=True)
class Series:
    label: str
    values: list  # int, or a `Hidden` mark for a count hidden from the steering committee


@dataclasses.dataclass(frozen=True)
class Chart:
    """What a page shows: the SVG, and the same numbers as a table."""

    slug: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bars"  # "bars" (vertical), "stacked" (vertical, stacked), "hbars" (horizontal)
    category_header: str = ""
    # Drawing width in inches: the text is drawn at 9 pt for this width. A page scales the
    # SVG to its column; a PDF, which cannot zoom, gets a narrower drawing (PRINT_WIDTH) so
    # that the text stays readable at its printed size.
    width: float = 7.0

    @property
    def empty(self) -> bool:
        return not self.categories

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: one row per category, one cell per series (a hidden count's mark)."""
        return [
            (category, [display(series.values[index]) for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def svg(self) -> str:
        return cached_svg(self)


def display(value: int | Hidden) -> str:
    return str(value) if isinstance(value, Hidden) else formatting.count(value)


def _axis_label(label: str) -> str:
    """A long label (a positive-exit condition) on two lines, cut with "…": the table beside
    the chart gives it in full."""
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH, max_lines=2, placeholder=" …"))


def _plotted(values: list) -> list[int]:
    return [0 if isinstance(value, Hidden) else value for value in values]


def _bar_label(value) -> str:
    return str(value) if isinstance(value, Hidden) else ""


def _draw(chart: Chart, axes) -> None:
    positions = list(range(len(chart.categories)))
    count = len(chart.series)
    bottoms = [0] * len(positions)
    for index, series in enumerate(chart.series):
        values = _plotted(series.values)
        style = {
            "label": series.label,
            "color": COLOURS[index % len(COLOURS)],
            "hatch": HATCHES[index % len(HATCHES)],
            "edgecolor": "white",
        }
        if chart.kind == "hbars":
            bars = axes.barh(positions, values, height=0.7, **style)
        elif chart.kind == "stacked":
            bars = axes.bar(positions, values, width=0.7, bottom=bottoms, **style)
            bottoms = [bottom + value for bottom, value in zip(bottoms, values, strict=True)]
        else:
            width = 0.8 / count
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            bars = axes.bar(offsets, values, width=width, **style)
        labels = [_bar_label(value) for value in series.values]
        if any(labels):
            # On a white ground: in a stacked chart the label lies over the next bar.
            axes.bar_label(
                bars,
                labels=labels,
                padding=2,
                fontsize=7,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
    # Only zeros and hidden counts: an axis from 0 to 5 rather than matplotlib's -0.04 to
    # 0.04, so that the "< 5" labels stand on a readable scale.
    nothing_above_zero = not any(
        value for series in chart.series for value in _plotted(series.values)
    )
    if chart.kind == "hbars":
        if nothing_above_zero:
            axes.set_xlim(0, 5)
        axes.set_yticks(positions, [_axis_label(label) for label in chart.categories])
        axes.invert_yaxis()  # the first category on top, as in the table
        axes.xaxis.get_major_locator().set_params(integer=True)
    else:
        if nothing_above_zero:
            axes.set_ylim(0, 5)
        axes.set_xticks(positions, chart.categories, rotation=45 if len(positions) > 6 else 0)
        if len(positions) > 6:
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right")
        axes.yaxis.get_major_locator().set_params(integer=True)
    if count > 1:
        # Above the plot, never over a bar.
        axes.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1), ncols=count)


SVG_CACHE_SECONDS = 24 * 3600


def cached_svg(chart: Chart) -> str:
    """The chart's SVG, drawn once per content: matplotlib takes 100 to 130 ms a chart, more
    than the SQL of a whole dashboard (docs/performance.md), while the same figures are asked
    for again and again. The key is the chart itself (title, labels, values, size), so any
    change in the data gives another key; nothing personal is stored, only aggregates."""
    key = "chart-svg:" + hashlib.sha256(repr(chart).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(chart)
        cache.set(key, svg, SVG_CACHE_SECONDS)
    return svg


def render_svg(chart: Chart) -> str:
    """The chart as an `<svg>` element to inline in HTML (no XML prolog, no inline CSS)."""
    height = max(2.6, 3.2 * chart.width / 7)
    if chart.kind == "hbars":
        two_lines = any(len(label) > LABEL_WIDTH for label in chart.categories)
        height = (0.4 if two_lines else 0.3) * len(chart.categories) + 0.8
    with matplotlib.rc_context({**RC, "svg.hashsalt": chart.slug}):
        figure = Figure(figsize=(chart.width, height), layout="constrained")
        axes = figure.subplots()
        _draw(chart, axes)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _clean(buffer.getvalue(), chart)


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _as_attributes(match: re.Match) -> str:
    """`style="fill: #fff; stroke: none"` → ` fill="#fff" stroke="none"`."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{html.escape(value.strip(), quote=True)}"')
    return "".join(attributes)


def _clean(svg: str, chart: Chart) -> str:
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = _STYLE_ATTRIBUTE.sub(_as_attributes, svg)
    # Several charts share a page: their ids ("axes_1", clip paths…) must not collide.
    svg = re.sub(r'\bid="', f'id="{chart.slug}-', svg)
    svg = svg.replace('href="#', f'href="#{chart.slug}-').replace("url(#", f"url(#{chart.slug}-")
    label = html.escape(chart.title, quote=True)
    # The figure's size goes: the page's CSS classes size it from the viewBox.
    svg = re.sub(
        r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
        rf'<svg \1id="graphique-{chart.slug}" role="img" aria-label="{label}" '
        r'class="w-100 h-auto" stroke-linejoin="round" stroke-linecap="butt"',
        svg,
        count=1,
    )
    return svg.replace(">", f"><title>{label}</title>", 1).strip()
