"""The network picture: every neuron as a small heatmap of its activation over the input
plane, and the links between them coloured by the weight's sign, thick by its size."""

import numpy as np

from ui.charts.colors import LIGHT, Theme, diverging_table, hex_rgb, theme
from ui.charts.png import color_index, indexed_data_uri

X_PITCH, NODE = 2.6, 0.78  # column spacing and thumbnail size, in data units
GAP = 0.28  # vertical gap between thumbnails, as a fraction of a thumbnail
Y_PITCH = NODE * (1 + GAP)
MAX_LINK_HOVERS = 300  # beyond this many links, hover on the weights chart instead (each marker costs a redraw)
# A PNG palette of 256: 253 colours of the diverging scale, then transparent (NaN, the
# gaps between nodes), the background (a node without a picture) and the grey of the node
# frames: the theme's (``_palette``).
_COLORS = 253
_WHITE, _FRAME = _COLORS + 1, _COLORS + 2


def _palette() -> np.ndarray:
    t = theme()
    return np.vstack([diverging_table(_COLORS), [[0, 0, 0, 0], [*hex_rgb(t.plot), 255], [*hex_rgb(t.faint), 255]]])


def node_positions(layer_sizes: list[int]) -> list[np.ndarray]:
    """Centres (n_j, 2) of the nodes of each column, columns centred on y = 0."""
    return [
        np.column_stack([np.full(n, j * X_PITCH), (n - 1) / 2 * Y_PITCH - np.arange(n) * Y_PITCH])
        for j, n in enumerate(layer_sizes)
    ]


def layout_image(source: str, x: float, y: float, sizex: float, sizey: float) -> dict:
    """A Plotly layout image with its top-left corner at (x, y) in data units, stretched to
    sizex by sizey, above the traces (the live panel lays it over the chart)."""
    return {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": x,
        "y": y,
        "sizex": sizex,
        "sizey": sizey,
        "sizing": "stretch",
        "layer": "above",
    }


def _column_image(images: list[np.ndarray | None], x: float, top: float) -> dict:
    """One layout image holding a column's thumbnails, stacked with transparent gaps.

    ``images`` are square (t, t) arrays in [-1, 1] (row 0 at the bottom of the plane, as
    the grid is laid out), ``top`` the y of the first node's centre."""
    t = next((image.shape[0] for image in images if image is not None), 16)
    gap = round(GAP * t)
    stack = np.full((len(images) * (t + gap) - gap, t), np.nan)
    for i, image in enumerate(images):
        # PNG rows run top to bottom; a node without a picture is an empty (white) box
        stack[i * (t + gap) : i * (t + gap) + t] = image[::-1] if image is not None else 0.0
    index = color_index(np.clip(stack, -1, 1), -1.0, 1.0, _COLORS)
    for i, image in enumerate(images):
        row = i * (t + gap)
        if image is None:
            index[row : row + t] = _WHITE
        box = index[row : row + t]  # a 1-pixel grey frame around every node
        box[[0, -1], :] = _FRAME
        box[:, [0, -1]] = _FRAME
    height = NODE * stack.shape[0] / t
    return layout_image(
        indexed_data_uri(index, _palette()),
        x - NODE / 2,
        top + NODE / 2,
        NODE,
        height,
    )


WIDTH_STEPS = (0.25, 0.75, 1.5)  # |w| thresholds between the four line widths
WIDTHS = (0.7, 1.6, 3.0, 5.0)


def _links(weights, positions, labels):
    """Line traces, one per (sign, width step), and the links' middles with hover texts.

    Vectorized: a network of 8 layers of 16 has ~1,900 links. Each trace's coordinates are
    float32 arrays of (x0, x1, NaN) triples: the NaN breaks the line between links."""
    starts, ends, values, texts = [], [], [], []
    hover = labels is not None and sum(W.size for W in weights) <= MAX_LINK_HOVERS
    for j, W in enumerate(weights):
        src, dst = positions[j], positions[j + 1]
        a, b = np.meshgrid(np.arange(W.shape[0]), np.arange(W.shape[1]), indexing="ij")
        starts.append(src[a.ravel()] + [NODE / 2, 0.0])
        ends.append(dst[b.ravel()] - [NODE / 2, 0.0])
        values.append(W.ravel())
        if hover:
            texts += [
                f"{labels[j][i]} → {labels[j + 1][k]}<br>weight {W[i, k]:+.4f}" for i, k in zip(a.ravel(), b.ravel())
            ]
    p0, p1, w = np.vstack(starts), np.vstack(ends), np.concatenate(values)
    t = theme()
    step = np.searchsorted(WIDTH_STEPS, np.abs(w))
    traces = []
    for positive in (False, True):
        for level, width in enumerate(WIDTHS):
            chosen = ((w >= 0) == positive) & (step == level)
            if not chosen.any():
                continue
            n = int(chosen.sum())
            xs = np.column_stack([p0[chosen, 0], p1[chosen, 0], np.full(n, np.nan)]).ravel().astype(np.float32)
            ys = np.column_stack([p0[chosen, 1], p1[chosen, 1], np.full(n, np.nan)]).ravel().astype(np.float32)
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": xs,
                    "y": ys,
                    "opacity": 0.75,
                    "hoverinfo": "skip",
                    "line": {"color": t.blue if positive else t.orange, "width": t.lw(width)},
                }
            )
    if not hover:
        return traces, ([], [], [])
    middle = 0.5 * (p0 + p1)
    return traces, (middle[:, 0].tolist(), middle[:, 1].tolist(), texts)


def network_figure(
    node_labels: list[list[str]],
    node_images: list[list[np.ndarray]],
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    column_titles: list[str],
    *,
    hover: bool = True,
    node_notes: list[list[str]] | None = None,
    point: tuple[float, float] | None = None,
    node_health: list[list[str | None]] | None = None,
) -> dict:
    """The network as a figure dict.

    ``node_labels[j][i]``: the name of node i in column j (column 0 is the input features).
    ``node_images[j][i]``: its activation over the input plane, a square (t, t) array
    scaled to [-1, 1] (values beyond are clipped; row 0 is the bottom of the plane), or
    ``None`` to draw a plain box (inputs that cannot be drawn over a plane).
    ``weights[j]`` (n_j, n_{j+1}) and ``biases[j]`` (n_{j+1},) connect column j to j + 1.
    ``hover=False`` leaves out the hover layer: while training plays, every redraw closes
    any hover label anyway, and the layer costs each redraw a few milliseconds.
    Each neuron's bias is a small square at its lower left, coloured on the weights' scale.
    ``node_notes[j][i]``, when given, are lines written beside node i of column j (a
    traced point's z and a) when there is room (``notes_fit``: the figure's ``labels``, laid
    out by the live panel), and in its hover text always;
    ``point`` (u, v) in [0, 1]² marks that place of the plane in every node's picture (u
    from the left, v from the bottom).
    ``node_health[j][i]``, when given, outlines node i of column j in the colour of its
    status ("dead", "saturated", see ``HEALTH_OUTLINES``; None: no outline), and a legend
    under the picture says which colour means what.
    """
    sizes = [len(col) for col in node_labels]
    positions = node_positions(sizes)
    images = [_column_image(column, centers[0, 0], centers[0, 1]) for column, centers in zip(node_images, positions)]
    traces, (hover_x, hover_y, hover_text) = _links(weights, positions, node_labels if hover else None)
    for j, (labels, centers) in enumerate(zip(node_labels, positions) if hover else ()):
        for i, (label, (cx, cy)) in enumerate(zip(labels, centers)):
            hover_x.append(cx)
            hover_y.append(cy)
            text = f"{label}<br>bias {float(biases[j - 1][i]):+.4f}" if j else label
            hover_text.append("<br>".join([text, *(node_notes[j][i] if node_notes is not None else ())]))
    # One invisible marker trace carries every hover text, neurons and links alike.
    traces += (
        []
        if not hover
        else [
            {
                "type": "scatter",
                "mode": "markers",
                "x": np.round(hover_x, 3).tolist(),
                "y": np.round(hover_y, 3).tolist(),
                "marker": {"size": 12, "color": "rgba(0,0,0,0)"},
                "hovertemplate": "%{text}<extra></extra>",
                "text": hover_text,
                "name": "hover",
            }
        ]
    )
    if node_health is not None:  # under the bias squares, around the node pictures
        traces += _health_outlines(node_health, positions)
    # The biases as pictures beside the node pictures (swapped in place, as those are): a
    # trace of them would change the figure every frame and make Plotly redraw it all.
    t = next((image.shape[0] for column in node_images for image in column if image is not None), 16)
    limit = bias_limit(biases)
    images += [_bias_image(b, centers[0, 0], centers[0, 1], t, limit) for b, centers in zip(biases, positions[1:])]
    if point is not None:  # over the node pictures, which lie over the traces
        images += _point_marks(point, positions, node_images)
    tallest = max(sizes)
    small = theme().font_size - 1
    annotations = [
        {
            "x": j * X_PITCH,
            "y": (tallest - 1) / 2 * Y_PITCH + 0.75,
            "text": title,
            "showarrow": False,
            "font": {"size": small},
        }
        for j, title in enumerate(column_titles)
    ]
    annotations += [
        {
            "x": -NODE / 2 - 0.08,
            "y": cy,
            "text": label,
            "showarrow": False,
            "xanchor": "right",
            "font": {"size": theme().font_size - 1},
        }
        for label, (_, cy) in zip(node_labels[0], positions[0])
    ]
    beside = node_notes is not None and notes_fit(sizes)
    half_height = (tallest - 1) / 2 * Y_PITCH + 1.0
    x_span = (len(sizes) - 1) * X_PITCH + (NOTE_WIDTH if beside else 0.7) + 1.4
    figure = {
        "data": traces,
        "layout": {
            "height": figure_height(x_span, 2 * half_height),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {
                "visible": False,
                "range": [-1.4, x_span - 1.4],
                "fixedrange": False,
            },
            "yaxis": {"visible": False, "range": [-half_height, half_height], "scaleanchor": "x"},
            "images": images,
            "showlegend": False,
            "annotations": annotations,
            "plot_bgcolor": theme().plot,
            "paper_bgcolor": theme().paper,
            "font": theme().font,
            "hovermode": "closest",
            "uirevision": "network",
        },
    }
    if beside:
        figure["labels"] = _note_labels(node_notes, positions)
    if node_health is not None:
        _health_legend(figure)
    return figure


# Outlines of neurons by health: colours apart from the weights' orange and blue, named
# as the theme draws them (``health_outlines``; this is the light theme's).
HEALTH_MEANING = {"dead": "dead (0 on every training point)", "saturated": "saturated (|z| > 3 on most points)"}


def health_outlines(t: Theme | None = None) -> dict[str, tuple[str, str]]:
    """Each status's outline colour and legend entry, in theme ``t`` (the current one)."""
    return {
        status: (color, f"{word}: {HEALTH_MEANING[status]}") for status, (color, word) in (t or theme()).health.items()
    }


HEALTH_OUTLINES = health_outlines(LIGHT)  # {"dead": ("#d62728", "red: dead (...)"), ...}
OUTLINE_MARGIN = 0.07  # data units outside a node's picture
HEALTH_LEGEND_PIXELS = 26  # the legend's row under the picture


def _health_outlines(node_health, positions) -> list[dict]:
    """One line trace per status: a square around every node of that status (a trace
    even when no node has it, so the legend always names both colours)."""
    h = NODE / 2 + OUTLINE_MARGIN
    traces = []
    for status, (color, name) in health_outlines().items():
        xs, ys = [], []
        for statuses, centers in zip(node_health, positions):
            for s, (cx, cy) in zip(statuses, centers):
                if s == status:
                    xs += [cx - h, cx + h, cx + h, cx - h, cx - h, None]
                    ys += [cy - h, cy - h, cy + h, cy + h, cy - h, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [round(float(v), 3) if v is not None else None for v in xs] or [None],
                "y": [round(float(v), 3) if v is not None else None for v in ys] or [None],
                "name": name,
                "line": {"color": color, "width": theme().lw(3)},
                "hoverinfo": "skip",
                "showlegend": True,
            }
        )
    return traces


def _health_legend(figure: dict) -> None:
    """The legend of the outlines (and only theirs), in a row under the picture."""
    for trace in figure["data"]:
        trace.setdefault("showlegend", False)
    layout = figure["layout"]
    layout["showlegend"] = True
    layout["legend"] = {
        "orientation": "h",
        "x": 0,
        "y": 0,
        "yanchor": "top",
        "font": {"size": theme().font_size - 2},
        "itemclick": False,
        "itemdoubleclick": False,
    }
    layout["height"] += HEALTH_LEGEND_PIXELS


# The ring that marks a traced point: a file Streamlit serves (static/ring.svg), so each
# frame carries its address, not the picture, once per node.
RING_SVG = "app/static/ring.svg"
RING_SIZE = 0.26  # data units: a third of a node
NOTE_WIDTH = 1.75  # room right of the last column for its notes


TYPICAL_WIDTH = 540  # pixels: the network picture's cell on a 1440-pixel-wide screen


def figure_height(x_span: float, y_span: float) -> int:
    """The figure's height in pixels: the drawing keeps its aspect (scaleanchor), so a wide
    network in a tall figure would float in empty space; sized for the typical cell width,
    within 300..820 pixels."""
    return int(min(max(60 + TYPICAL_WIDTH * y_span / x_span, 300), 820))


BIAS_PIXELS = 6  # the bias square's side, in the pixels of a node picture of 25


def bias_limit(biases: list[np.ndarray]) -> float:
    """The bias squares' colour scale runs over ±this: at least 1, else the largest |b|."""
    values = np.concatenate([np.asarray(b, dtype=float).ravel() for b in biases]) if biases else np.zeros(0)
    finite = values[np.isfinite(values)]
    return float(max(1.0, np.max(np.abs(finite)))) if finite.size else 1.0


def bias_strip(biases: np.ndarray, t: int, limit: float) -> np.ndarray:
    """Palette indices (rows, k) of a column's bias squares: beside each node picture of t
    pixels (with the column's gaps), a k-pixel square at its bottom, coloured by the bias
    on the diverging scale (orange negative, grey near 0, blue positive) in a grey frame;
    transparent elsewhere."""
    k = max(4, round(BIAS_PIXELS * t / 25))
    gap = round(GAP * t)
    n = len(biases)
    index = np.full((n * (t + gap) - gap, k), _COLORS, np.uint8)  # _COLORS: transparent
    colours = color_index(
        np.clip(np.nan_to_num(np.asarray(biases, dtype=float)), -limit, limit), -limit, limit, _COLORS
    )
    for i, colour in enumerate(np.asarray(colours).ravel()):
        square = index[i * (t + gap) + t - k : i * (t + gap) + t]
        square[...] = _FRAME
        square[1:-1, 1:-1] = colour
    return index


def _bias_image(biases: np.ndarray, x: float, top: float, t: int, limit: float) -> dict:
    """The bias squares of one column as a layout image just left of its node pictures."""
    index = bias_strip(biases, t, limit)
    width = NODE * index.shape[1] / t
    return layout_image(
        indexed_data_uri(index, _palette()),
        x - NODE / 2 - width - 0.04,
        top + NODE / 2,
        width,
        NODE * index.shape[0] / t,
    )


def ring_image(x: float, y: float, size: float) -> dict:
    """A layout image of a ring (black on a white halo, seen on any colour) centred at
    (x, y) in data units, ``size`` wide: it marks a traced point over pictures."""
    return layout_image(
        RING_SVG,
        x - size / 2,
        y + size / 2,
        size,
        size,
    )


def _point_marks(point: tuple[float, float], positions, node_images) -> list[dict]:
    """A ring at the traced point's place in every node's picture."""
    u, v = point
    return [
        ring_image(cx - NODE / 2 + u * NODE, cy - NODE / 2 + v * NODE, RING_SIZE)
        for centers, images in zip(positions, node_images)
        for (cx, cy), image in zip(centers, images)
        if image is not None
    ]


MAX_NOTE_COLUMNS, MAX_NOTE_ROWS = 6, 8  # beyond: the notes would overlap the nodes (measured)


def notes_fit(sizes: list[int]) -> bool:
    """Whether notes fit beside the nodes of a network of these column sizes."""
    return len(sizes) <= MAX_NOTE_COLUMNS and max(sizes) <= MAX_NOTE_ROWS


NOTE_PIXELS = 10.5  # the notes' font size on a 1440-pixel screen (the picture scales with the page)


def _note_labels(node_notes, positions) -> list[dict]:
    """The notes beside the nodes as text labels (see ``ui.live.panel.chart``): the browser
    lays each out as an HTML block over the plot, left edge just right of its node, centred
    on it, on a backing of the paper's colour so the links behind stay readable. Text, not
    a picture: the notes change with every frame while training plays; a new SVG picture of
    them each frame cost the browser ~6 frames/s of ~31 (benchmarks/trace.py), Plotly
    annotations ~20 ms a redraw; changing a label's text costs next to nothing. The font
    scales with the plot, NOTE_PIXELS on a plot TYPICAL_WIDTH pixels wide (``scale``:
    pixels of font per pixel of the plot's width)."""
    backing = "rgba({}, {}, {}, 0.85)".format(*hex_rgb(theme().paper))
    return [
        {
            "x": cx + NODE / 2 + 0.06,
            "y": cy,
            "lines": list(lines),
            "scale": NOTE_PIXELS / TYPICAL_WIDTH,
            "color": theme().ink,
            "backing": backing,
        }
        for notes, centers in zip(node_notes, positions)
        for lines, (cx, cy) in zip(notes, centers)
        if lines
    ]
