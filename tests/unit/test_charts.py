"""The dashboard's chart layouts: pure functions of the figures, and the stylesheet that colours the heat map."""

import re
from pathlib import Path

from annotator.web.charts import SHADES, _blend, heatmap

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
