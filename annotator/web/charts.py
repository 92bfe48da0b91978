"""Charts for the dashboard, laid out here and drawn by templates as SVG: a heat map and horizontal bars.

Colours are SVG presentation attributes (fill=…), which the strict CSP allows, unlike style attributes."""

CELL_W, CELL_H = 84, 30
ROW_LABEL_W, COLUMN_LABEL_H = 170, 96
BAR_W, BAR_H, BAR_GAP = 320, 18, 8


def _blend(share):
    """A colour from pale (0) to deep blue (1); None (no figure) is grey."""
    if share is None:
        return "#eef0f4"
    low, high = (239, 244, 255), (29, 78, 216)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def heatmap(rows, columns, value, *, scale=None, digits=2):
    """Lay out a heat map: `rows` and `columns` are names, `value(row, column)` a number or None. `scale` is the
    value that gets the deepest colour (default: the largest value). Returns what the template draws."""
    values = {(r, c): value(r, c) for r in rows for c in columns}
    top = scale if scale is not None else max((v for v in values.values() if v is not None), default=0)
    cells = []
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            figure = values[(row, column)]
            share = None if figure is None else (min(max(figure, 0) / top, 1) if top else 0)
            cells.append(
                {
                    "x": ROW_LABEL_W + j * CELL_W,
                    "y": COLUMN_LABEL_H + i * CELL_H,
                    "cx": ROW_LABEL_W + j * CELL_W + CELL_W / 2,
                    "cy": COLUMN_LABEL_H + i * CELL_H + CELL_H / 2,
                    "fill": _blend(share),
                    "ink": "#ffffff" if share is not None and share > 0.55 else "#1d2330",
                    "text": "—" if figure is None else f"{figure:.{digits}f}",
                    "title": f"{row} · {column}: {'no figure' if figure is None else f'{figure:.{digits}f}'}",
                    "row": row,
                    "column": column,
                }
            )
    return {
        "width": ROW_LABEL_W + len(columns) * CELL_W + 8,
        "height": COLUMN_LABEL_H + len(rows) * CELL_H + 8,
        "cell_w": CELL_W,
        "cell_h": CELL_H,
        "rows": [{"name": row, "y": COLUMN_LABEL_H + i * CELL_H + CELL_H / 2} for i, row in enumerate(rows)],
        "columns": [{"name": c, "x": ROW_LABEL_W + j * CELL_W + CELL_W / 2} for j, c in enumerate(columns)],
        "label_x": ROW_LABEL_W - 8,
        "label_y": COLUMN_LABEL_H - 8,
        "cells": cells,
    }


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
