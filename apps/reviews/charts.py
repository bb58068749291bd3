"""Geometry of the reporting dashboard's horizontal bar charts; the SVG itself is the template
`reviews/includes/reporting_chart.svg`, and the same figures are always given as a table. On a
phone, where the drawing would shrink with its text, the same bars are written in HTML
(`reviews/includes/reporting_bars.html`), each as a share of the column's width."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 200  # room for the labels, right-aligned against the bars
LABEL_GAP = 8  # between a label and its bar
VALUE_ROOM = 48  # room for the figure written after the longest bar
BAR_HEIGHT = 22
BAR_GAP = 8
TOP = 8
MIN_BAR = 2  # a non-zero figure keeps a visible bar


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    y: int
    width: float
    share: float = 0.0  # of the largest value: the bar's length where it is drawn in HTML

    @property
    def label_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.7

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[ChartBar]

    @property
    def label_room(self) -> int:
        """Where a label ends (right-aligned), and how wide it may be."""
        return self.label_width - LABEL_GAP


def bar_chart(rows: Sequence[tuple[str, int]]) -> BarChart:
    """One bar per (label, value), in the given order, scaled to the largest value."""
    largest = max((value for _label, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(rows):
        width = round(room * value / largest, 1) if largest else 0.0
        bars.append(
            ChartBar(
                label=label,
                value=value,
                y=TOP + index * (BAR_HEIGHT + BAR_GAP),
                width=max(width, MIN_BAR) if value else 0.0,
                share=round(value / largest, 4) if largest else 0.0,
            )
        )
    return BarChart(
        width=WIDTH,
        height=TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
