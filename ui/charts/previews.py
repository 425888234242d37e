"""Small SVG previews of the datasets, for the dataset picker."""

import base64

import numpy as np

from ui.charts.colors import DEFAULT_CLASSES, MIDDLE


def dataset_preview_svg(
    X: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    *,
    size: int = 56,
    extent: float = 6.0,
    classes: tuple[str, ...] = DEFAULT_CLASSES,
) -> str:
    """An SVG square with the points of (X (n, 2), y (n,)) as dots: colours ``classes``, or
    for regression (``n_classes=0``) the first (orange) below 0 and the second (blue) above.

    The colours are an argument, never the session's theme: the previews are cached for
    every session at once (a theme read here would reach other students' pages). To show
    a session's palette, pass ``theme().class_colors`` and key the cache on it."""
    scale = size / (2 * extent)
    dots = []
    for (px, py), label in zip(X, y):
        if n_classes:
            color = classes[int(label) % len(classes)]
        else:
            color = classes[1] if label >= 0 else classes[0]
        cx, cy = (px + extent) * scale, (extent - py) * scale
        dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.6" fill="{color}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<rect width="{size}" height="{size}" fill="{MIDDLE}" rx="4"/>{"".join(dots)}</svg>'
    )


def svg_data_uri(svg: str) -> str:
    """An <img>-ready data URI for an SVG string (HTML sanitizers keep images, not inline SVG)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
