"""The dashboard's chart layouts: pure functions of the figures, and the stylesheet that colours the heat map."""

import re
from pathlib import Path

from annotator.web.charts import BAR_W, CATEGORY_COLOURS, SHADES, _blend, heatmap, stacked_bars

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "annotator" / "project.css"


class TestHeatmap:
    def test_a_pair_map_leaves_each_annotator_against_themselves_blank(self):
        kappa = {frozenset(("anna", "ben")): 0.5}

        chart = heatmap(["anna", "ben"], ["anna", "ben"], lambda a, b: kappa.get(frozenset((a, b))), scale=1.0,
                        blank_diagonal=True)  # fmt: skip

        cells = {(cell["row"], cell["column"]): cell for row in chart["rows"] for cell in row["cells"]}
        assert [cells[(name, name)]["blank"] for name in ("anna", "ben")] == [True, True]
        assert (cells[("anna", "ben")]["text"], cells[("anna", "ben")]["shade"]) == ("0.50", SHADES // 2)

    def test_a_missing_figure_is_a_dash_with_the_no_figure_shade(self):
        chart = heatmap(["Wire One"], ["Denial", "Speculation"], lambda row, column: None if column == "Denial" else 2)

        [row] = chart["rows"]
        assert [(cell["text"], cell["shade"]) for cell in row["cells"]] == [("—", "none"), ("2.00", SHADES)]

    def test_every_shade_has_its_colour_in_the_stylesheet(self):
        rules = dict(re.findall(r'td\[data-shade="(\w+)"\] \{ background: (#[0-9a-f]{6})', STYLESHEET.read_text()))

        expected = {str(shade): _blend(shade / SHADES) for shade in range(SHADES + 1)} | {"none": _blend(None)}
        assert rules == expected


class TestStackedBars:
    def test_segments_split_the_bar_by_share_in_the_categories_order(self):
        chart = stacked_bars([("Wire One", {"anti": 1, "pro": 3})], ["pro", "neutral", "anti"])

        [bar] = chart["bars"]
        assert [(s["category"], s["count"], s["share"]) for s in bar["segments"]] == [
            ("pro", 3, "75%"),
            ("anti", 1, "25%"),
        ]
        assert [s["width"] for s in bar["segments"]] == [BAR_W * 0.75, BAR_W * 0.25]
        assert bar["segments"][1]["x"] == bar["segments"][0]["x"] + BAR_W * 0.75
        assert [(c["category"], c["count"], c["share"]) for c in bar["cells"]] == [
            ("pro", 3, "75%"),
            ("neutral", 0, "0%"),
            ("anti", 1, "25%"),
        ]

    def test_a_category_keeps_its_colour_in_every_row(self):
        chart = stacked_bars([("A", {"neutral": 1}), ("B", {"pro": 1, "neutral": 1})], ["pro", "neutral"])

        fills = [{s["category"]: s["fill"] for s in bar["segments"]} for bar in chart["bars"]]
        assert fills[0]["neutral"] == fills[1]["neutral"] == CATEGORY_COLOURS[1]
        assert [entry["fill"] for entry in chart["legend"]] == CATEGORY_COLOURS[:2]

    def test_a_row_without_answers_is_an_empty_bar_with_dashes(self):
        [bar] = stacked_bars([("Nobody", {})], ["pro", "anti"])["bars"]

        assert (bar["total"], bar["segments"]) == (0, [])
        assert [cell["share"] for cell in bar["cells"]] == ["—", "—"]

    def test_a_narrow_segment_leaves_its_share_to_the_tooltip(self):
        [bar] = stacked_bars([("Wire One", {"pro": 1, "anti": 99})], ["pro", "anti"])["bars"]

        assert [s["show_text"] for s in bar["segments"]] == [False, True]
        assert bar["segments"][0]["title"] == "Wire One · pro: 1 (1%)"
