"""Box numbers on the picture: never on top of each other, never off the picture."""

from __future__ import annotations

from web.panel_images import NumberSpot, PanelView, PlaceMark


def numbers(panel: PanelView) -> list[NumberSpot]:
    size = panel.font_size
    return [
        NumberSpot(
            place.label_x - max(2, size // 5),
            place.label_y,
            round(size * 0.65 * len(str(place.number))) + 2 * max(2, size // 5),
            size,
        )
        for place in panel.boxes
    ]


def test_numbers_of_boxes_at_the_same_place_do_not_overlap():
    # The warning's header, its body and a word in it start at nearly one corner;
    # the brand touches the top edge.
    corners = [(33, 475), (31, 474), (33, 574), (36, 561), (40, 470), (30, 480), (101, 0)]
    places = [
        PlaceMark(number, left, top, 300, 40, [])
        for number, (left, top) in enumerate(corners, start=1)
    ]
    panel = PanelView(1, None, 700, 900, places)
    panel.place_numbers()
    spots = numbers(panel)
    for index, spot in enumerate(spots):
        assert spot.top >= 0 and spot.baseline <= panel.height
        assert spot.x + spot.width <= panel.width
        for other in spots[index + 1 :]:
            assert not spot.overlaps(other), (spot, other)


def test_a_lone_box_has_its_number_just_above_it():
    panel = PanelView(1, None, 700, 900, [PlaceMark(1, 100, 300, 200, 50, [])])
    panel.place_numbers()
    place = panel.boxes[0]
    assert place.label_y < place.top
    assert place.top - place.label_y < panel.font_size
    assert place.label_x > 100


def test_many_numbers_on_a_narrow_picture_stay_on_it():
    places = [PlaceMark(number, 10, 60, 80, 30, []) for number in range(1, 21)]
    panel = PanelView(1, None, 200, 400, places)
    panel.place_numbers()
    spots = numbers(panel)
    for index, spot in enumerate(spots):
        assert spot.x >= 0 and spot.x + spot.width <= panel.width, spot
        assert spot.top >= 0 and spot.baseline <= panel.height, spot
        for other in spots[index + 1 :]:
            assert not spot.overlaps(other), (spot, other)
