import itertools

from tenants.models import best_text_colour, contrast_ratio


def test_the_header_text_colour_reaches_wcag_aa_on_any_primary_colour():
    steps = ["00", "33", "55", "76", "80", "99", "bb", "dd", "ff"]
    for r, g, b in itertools.product(steps, repeat=3):
        background = f"#{r}{g}{b}"
        assert contrast_ratio(background, best_text_colour(background)) >= 4.5, background


def test_dark_colours_get_white_text_and_light_ones_black():
    assert best_text_colour("#166534") == "#ffffff"
    assert best_text_colour("#fde047") == "#000000"
