"""The balance chart's geometry, worked out by hand: 440 wide, labels 110, so a plot of 440 - 110 - 90 = 240."""

from roer.lib.charts.shares import share_bars


def test_each_bar_is_as_long_as_its_share_and_says_its_count_and_percentage():
    chart = share_bars([("Kennis", 2), ("Medewerkers", 1), ("Relaties", 0)])
    assert chart is not None
    assert [(bar.count, bar.percentage, bar.width) for bar in chart.bars] == [
        (2, 67, 160.0),
        (1, 33, 80.0),
        (0, 0, 0.0),
    ]
    assert [bar.value_x for bar in chart.bars] == [120 + 160 + 6, 120 + 80 + 6, 120 + 6]
    assert (chart.total, chart.height) == (3, 8 + 3 * 34)


def test_no_actions_draw_no_chart():
    assert share_bars([("Kennis", 0), ("Medewerkers", 0)]) is None
