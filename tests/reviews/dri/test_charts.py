"""Geometry of the dashboard's bar charts."""

from apps.reviews import charts
from apps.reviews.charts import bar_chart


def test_bars_scale_to_the_largest_value_in_the_given_order():
    chart = bar_chart([("Japan", 8), ("Canada", 2), ("Brazil", 0)])
    room = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert [(bar.label, bar.value, bar.width) for bar in chart.bars] == [
        ("Japan", 8, room),
        ("Canada", 2, room / 4),
        ("Brazil", 0, 0.0),
    ]
    assert [bar.y for bar in chart.bars] == [8, 38, 68]
    assert chart.height == 2 * charts.TOP + 3 * (charts.BAR_HEIGHT + charts.BAR_GAP)


def test_a_small_figure_keeps_a_visible_bar():
    [_big, small] = bar_chart([("Japan", 10_000), ("Chile", 1)]).bars
    assert small.width == charts.MIN_BAR


def test_the_value_is_written_after_its_bar():
    [bar] = bar_chart([("Japan", 3)]).bars
    assert bar.value_x == charts.LABEL_WIDTH + bar.width + 6


def test_no_rows_no_bars():
    chart = bar_chart([])
    assert (chart.bars, chart.height) == ([], 2 * charts.TOP)


def test_each_bar_s_share_of_the_largest_value():
    chart = bar_chart([("Japan", 3), ("Canada", 2), ("Brazil", 0)])
    assert [bar.share for bar in chart.bars] == [1.0, 0.6667, 0.0]
    assert [bar.share for bar in bar_chart([("Japan", 0)]).bars] == [0.0]
