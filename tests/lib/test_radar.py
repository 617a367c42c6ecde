import pytest

from roer.lib.charts.radar import CENTRE_X, CENTRE_Y, RADIUS, radar


def test_values_are_placed_on_their_axis_at_their_distance_from_the_centre():
    chart = radar(["a", "b", "c", "d"], [("Self", "series-self", [100, 50, 0, 25])])
    [series] = chart.series
    points = [point for point, _value in series.markers]
    # axis 0 points straight up, axis 1 to the right (four axes, clockwise)
    assert (points[0].x, points[0].y) == (CENTRE_X, CENTRE_Y - RADIUS)
    assert points[1].x == pytest.approx(CENTRE_X + RADIUS / 2)
    assert (points[2].x, points[2].y) == (CENTRE_X, CENTRE_Y)
    assert points[3].x == pytest.approx(CENTRE_X - RADIUS / 4)
    assert series.polygon is not None


def test_a_hidden_value_leaves_the_polygon_out_but_keeps_the_other_markers():
    chart = radar(["a", "b", "c"], [("Others", "series-others", [80, None, 40])])
    [series] = chart.series
    assert series.polygon is None
    assert [value for _point, value in series.markers] == [80, 40]


def test_long_labels_wrap_and_labels_above_the_centre_grow_upwards():
    chart = radar(["Brengt digitale expertise aan de directietafel", "b", "c", "d"], [])
    top = chart.axes[0]
    assert len(top.lines) > 1
    assert top.first_dy < 0
    assert top.anchor == "middle"
