"""Charts for the dashboard, laid out here and drawn by templates: a heat map as an HTML table (the browser wraps
its axis labels, so long label names are shown whole at a readable size), horizontal bars and stacked bars (each
row's shares of some categories) as SVG.

The bars' colours are SVG presentation attributes (fill=…), which the strict CSP allows, unlike style attributes;
the heat map's cells carry a shade number that project.css colours."""

from annotator.presets import PRESETS

ROW_LABEL_W = 170
# A stacked bar's categories take the media-frames preset's 15 colours, in turn: each distinct from the others and
# keeping black text readable (tests/unit/test_palettes.py), so a segment can carry its share as text.
CATEGORY_COLOURS = [label["color"] for label in PRESETS["media-frames"]]
# A segment narrower than this shows its share in its tooltip and the counts table only.
SEGMENT_TEXT_W = 34
BAR_W, BAR_H, BAR_GAP = 320, 18, 8
# A heat map's cell takes one of SHADES + 1 colours, from pale (0) to deep blue (SHADES); project.css holds them,
# as the CSP refuses style attributes on HTML cells (tests/unit/test_charts.py checks the two agree).
SHADES = 10


def _blend(share):
    """A colour from pale (0) to deep blue (1); None (no figure) is grey."""
    if share is None:
        return "#eef0f4"
    low, high = (239, 244, 255), (29, 78, 216)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def heatmap(rows, columns, value, *, scale=None, digits=2, blank_diagonal=False):
    """Lay out a heat map as a table: `rows` and `columns` are names, `value(row, column)` a number or None.
    `scale` is the value that gets the deepest shade (default: the largest value); with `blank_diagonal`, a cell
    whose row is its column is left empty (a pair map's trivial agreement of each annotator with themselves)."""
    blank = (lambda row, column: row == column) if blank_diagonal else (lambda row, column: False)
    values = {(r, c): value(r, c) for r in rows for c in columns if not blank(r, c)}
    top = scale if scale is not None else max((v for v in values.values() if v is not None), default=0)
    laid = []
    for row in rows:
        cells = []
        for column in columns:
            if blank(row, column):
                cells.append({"row": row, "column": column, "blank": True})
                continue
            figure = values[(row, column)]
            share = None if figure is None else (min(max(figure, 0) / top, 1) if top else 0)
            text = "—" if figure is None else f"{figure:.{digits}f}"
            cells.append(
                {
                    "row": row,
                    "column": column,
                    "blank": False,
                    "shade": "none" if share is None else round(share * SHADES),
                    "text": text,
                    "title": f"{row} · {column}: {'no figure' if figure is None else text}",
                }
            )
        laid.append({"name": row, "cells": cells})
    return {"columns": list(columns), "rows": laid}


def bars(items, *, scale=1.0, digits=2):
    """Lay out horizontal bars for (name, value or None) pairs, values from 0 to `scale`."""
    laid = []
    for i, (name, figure) in enumerate(items):
        share = 0 if figure is None else min(max(figure, 0) / scale, 1) if scale else 0
        laid.append(
            {
                "name": name,
                "y": i * (BAR_H + BAR_GAP),
                "mid": i * (BAR_H + BAR_GAP) + BAR_H / 2,
                "width": round(BAR_W * share, 1),
                "value_x": ROW_LABEL_W + round(BAR_W * share, 1) + 6,
                "text": "—" if figure is None else f"{figure:.{digits}f}",
                "fill": _blend(None if figure is None else 0.35 + 0.65 * share),
            }
        )
    return {
        "width": ROW_LABEL_W + BAR_W + 60,
        "height": len(laid) * (BAR_H + BAR_GAP),
        "label_x": ROW_LABEL_W - 8,
        "bar_x": ROW_LABEL_W,
        "bar_h": BAR_H,
        "bars": laid,
    }


def stacked_bars(rows, categories):
    """Lay out a stacked bar per row of (name, {category: count}): each segment a category's share of the row's
    total, in the order of `categories` (names), each category keeping its colour in every row; a row with no
    count is an empty bar. Every segment carries its count and share as text, so nothing rests on colour, and
    each row's `cells` give every category's count and share (zeros too) for a table beside the chart."""
    legend = [{"name": name, "fill": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]} for i, name in enumerate(categories)]
    laid = []
    for i, (name, counts) in enumerate(rows):
        total = sum(counts.get(category, 0) for category in categories)
        cells, segments, x = [], [], 0.0
        for entry in legend:
            count = counts.get(entry["name"], 0)
            share = f"{count / total:.0%}" if total else "—"
            cells.append({"category": entry["name"], "count": count, "share": share})
            if not count:
                continue
            width = BAR_W * count / total
            segments.append(
                {
                    "category": entry["name"],
                    "count": count,
                    "share": share,
                    "x": round(ROW_LABEL_W + x, 1),
                    "width": round(width, 1),
                    "mid_x": round(ROW_LABEL_W + x + width / 2, 1),
                    "fill": entry["fill"],
                    "show_text": width >= SEGMENT_TEXT_W,
                    "title": f"{name} · {entry['name']}: {count} ({share})",
                }
            )
            x += width
        laid.append(
            {
                "name": name,
                "total": total,
                "y": i * (BAR_H + BAR_GAP),
                "mid": i * (BAR_H + BAR_GAP) + BAR_H / 2,
                "cells": cells,
                "segments": segments,
            }
        )
    return {
        "width": ROW_LABEL_W + BAR_W + 60,
        "height": len(laid) * (BAR_H + BAR_GAP),
        "label_x": ROW_LABEL_W - 8,
        "bar_x": ROW_LABEL_W,
        "bar_w": BAR_W,
        "bar_h": BAR_H,
        "total_x": ROW_LABEL_W + BAR_W + 6,
        "legend": legend,
        "bars": laid,
    }
