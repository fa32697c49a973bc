"""The report's plots: matplotlib figures rendered to inline SVG.

SVG keeps the report one self-contained, zoomable file with no script to run; text is kept as
text (`svg.fonttype = none`), so it is searchable and takes the page's font, and the ids in
each figure are prefixed with its name so that two figures never share one in a page. No pyplot: figures
are plain objects, and nothing global is touched.
"""

from __future__ import annotations

import io
import re

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

WIDTH = 7.5     # inches; the page scales the SVG to its column
BAR = 0.32      # inches per bar of a horizontal bar chart
COLOURS = {"bars": "#4a7ab5", "before": "#c9a227", "after": "#4a7ab5"}
PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
ID_OR_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)(?=[^"()]+)')
LOG_SCALE_RANGE = 20  # lengths spanning more than this factor are plotted on a log scale
PLAIN = FuncFormatter(lambda value, _: f"{value:,.0f}")


def _svg(figure: Figure, name: str, label: str) -> str:
    """The figure as an <svg> element for inlining, labelled for screen readers."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "prep"}):  # fixed: same input, same file
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = ID_OR_REFERENCE.sub(lambda m: f"{m.group(1)}{name}-", svg)  # matplotlib numbers ids per figure
    return svg.replace("<svg ", f'<svg class="chart" id="chart-{name}" role="img" aria-label="{label}" ', 1)


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), layout="constrained")


def _style(axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=9)


def horizontal_bars(name: str, labels: list[str], values: list[float], xlabel: str, label: str) -> str:
    """One bar per label, largest on top, each annotated with its value."""
    figure = _figure(max(1.4, BAR * len(labels) + 0.8))
    axes = figure.add_subplot()
    positions = np.arange(len(labels))[::-1]
    bars = axes.barh(positions, values, color=COLOURS["bars"])
    axes.set_yticks(positions, labels)
    axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=8)
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(x=0.12)
    _style(axes)
    return _svg(figure, name, label)


def group_sizes(sizes: list[int], groups: list[int]) -> str:
    """Duplicate groups per size (documents in the group, kept one included)."""
    figure = _figure(2.6)
    axes = figure.add_subplot()
    positions = np.arange(len(sizes))
    bars = axes.bar(positions, groups, color=COLOURS["bars"])
    axes.set_xticks(positions, [str(s) for s in sizes])
    axes.bar_label(bars, labels=[f"{g:,}" for g in groups], padding=2, fontsize=8)
    axes.set_xlabel("documents in the group")
    axes.set_ylabel("groups")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(y=0.15)
    _style(axes)
    return _svg(figure, "group-sizes", "Number of duplicate groups by size")


def lengths(before: list[int], after: list[int]) -> str:
    """Distribution of document lengths in words before and after cleaning; on a log scale when
    they span a wide range, as lengths of web pages usually do."""
    figure = _figure(2.8)
    axes = figure.add_subplot()
    values = np.asarray(before + after, dtype=float)
    low, high = max(1.0, values.min()), max(2.0, values.max() * 1.001)
    log = high / low > LOG_SCALE_RANGE
    bins = np.geomspace(low, high, 30) if log else np.linspace(low, high, 30)
    axes.hist(np.clip(before, low, None), bins=bins, histtype="step", linewidth=1.8, color=COLOURS["before"],
              label="before cleaning")
    axes.hist(np.clip(after, low, None), bins=bins, histtype="stepfilled", alpha=0.45, color=COLOURS["after"],
              label="after cleaning")
    if log:
        axes.set_xscale("log")
        axes.xaxis.set_minor_formatter(NullFormatter())
    axes.xaxis.set_major_formatter(PLAIN)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("words per document" + (" (log scale)" if log else ""))
    axes.set_ylabel("documents")
    axes.legend(frameon=False, fontsize=9)
    _style(axes)
    return _svg(figure, "lengths", "Histogram of document lengths in words before and after cleaning")
