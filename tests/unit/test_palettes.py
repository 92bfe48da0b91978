"""Every label preset's colours can be told apart: each pair at least MIN_DELTA_E apart in CIEDE2000, none a near-grey
that passes for a text selection, and all light enough for black text. The CIEDE2000 below is checked against the
published test pairs of Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula"."""

import itertools
import math

import pytest

from annotator.demo_data import DEMO_SPANS
from annotator.presets import PRESETS

# 2.3 is about one just-noticeable difference; 15 is what a palette built for telling categories apart keeps
# between its closest pair (Tableau 10's is 16), and what a 23-label preset can still reach among colours light
# enough for black text. Two yellows a shade apart (the demo's old Editorial appeal and Official statement) sit
# near that line, which is why a preset's colours should aim for a clear hue step, not just the threshold.
MIN_DELTA_E = 15
# A label colour with less chroma than this reads as grey: Chromium paints an unfocused text selection grey.
MIN_CHROMA = 20
# Black text on the full label colour keeps WCAG's AAA contrast (the highlight is paler still).
MIN_CONTRAST = 7


def lab(color):
    """CIELAB (D65) of an sRGB "#rrggbb"."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))]  # fmt: skip
    r, g, b = linear
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505,  # each row over its own sum: white is exactly white
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089,
    )
    fx, fy, fz = (t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(first, second):
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    c1, c2 = math.hypot(a1 * (1 + g), b1), math.hypot(a2 * (1 + g), b2)
    h1, h2 = (math.degrees(math.atan2(b, a * (1 + g))) % 360 if c else 0 for a, b, c in ((a1, b1, c1), (a2, b2, c2)))
    dh = 0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    t = (1 - 0.17 * math.cos(math.radians(mean_h - 30)) + 0.24 * math.cos(math.radians(2 * mean_h))
         + 0.32 * math.cos(math.radians(3 * mean_h + 6)) - 0.20 * math.cos(math.radians(4 * mean_h - 63)))  # fmt: skip
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_cp, 1 + 0.015 * mean_cp * t
    r_t = (-2 * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
           * math.sin(math.radians(60 * math.exp(-(((mean_h - 275) / 25) ** 2)))))  # fmt: skip
    dl, dc = (l2 - l1) / s_l, (c2 - c1) / s_c
    dhh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2)) / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)


def chroma(color):
    _, a, b = lab(color)
    return math.hypot(a, b)


def contrast_with_black(color):
    luminance = ((lab(color)[0] + 16) / 116) ** 3 if lab(color)[0] > 8 else lab(color)[0] / 903.3
    return (luminance + 0.05) / 0.05


class TestDeltaE2000:
    # From Sharma, Wu and Dalal's table 1: among them the hue wrap-arounds that a careless mean hue gets wrong.
    @pytest.mark.parametrize(
        ("first", "second", "expected"),
        [
            ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
            ((50, 0, 0), (50, -1, 2), 2.3669),
            ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792),
            ((50, 2.49, -0.001), (50, -2.49, 0.0011), 7.2195),
            ((50, -0.001, 2.49), (50, 0.0009, -2.49), 4.8045),
            ((50, -0.001, 2.49), (50, 0.0011, -2.49), 4.7461),
            ((50, 2.5, 0), (73, 25, -18), 27.1492),
            ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ],
    )
    def test_the_published_pairs_come_out_as_published(self, first, second, expected):
        assert delta_e_2000(first, second) == pytest.approx(expected, abs=1e-4)
        assert delta_e_2000(second, first) == pytest.approx(expected, abs=1e-4)

    def test_white_is_lightness_100_without_chroma(self):
        assert lab("#ffffff") == pytest.approx((100, 0, 0), abs=1e-9)


class TestPresetPalettes:
    @pytest.mark.parametrize("preset", sorted(PRESETS))
    def test_every_pair_of_label_colours_is_told_apart(self, preset):
        close = [
            (first["name"], second["name"], round(delta_e_2000(lab(first["color"]), lab(second["color"])), 1))
            for first, second in itertools.combinations(PRESETS[preset], 2)
            if delta_e_2000(lab(first["color"]), lab(second["color"])) < MIN_DELTA_E
        ]

        assert close == []

    @pytest.mark.parametrize("preset", sorted(PRESETS))
    def test_no_label_colour_is_a_grey_that_passes_for_a_selection(self, preset):
        greys = [(label["name"], round(chroma(label["color"]), 1)) for label in PRESETS[preset]
                 if chroma(label["color"]) < MIN_CHROMA]  # fmt: skip

        assert greys == []

    @pytest.mark.parametrize("preset", sorted(PRESETS))
    def test_black_text_stays_readable_on_every_label_colour(self, preset):
        dim = [label["name"] for label in PRESETS[preset] if contrast_with_black(label["color"]) < MIN_CONTRAST]

        assert dim == []

    def test_the_demo_project_draws_with_the_framing_presets_labels(self):
        used = {label for spans in DEMO_SPANS.values() for phrases in spans.values() for _, label in phrases}

        assert used <= {label["name"] for label in PRESETS["framing"]}
