"""Pictures as PNG data URIs: NumPy values -> colours -> PNG bytes, on the server.

A Plotly heatmap trace colours its cells in JavaScript, paints a canvas and encodes it as
a PNG in the browser: 1 to 2 ms per neuron thumbnail, every frame. A ready PNG placed as a
``layout.images`` entry only has to be decoded, natively. The encoder is the PNG format's
minimum (one IDAT chunk, filter 0), with zlib from the standard library.
"""

import base64
import struct
import zlib

import numpy as np


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_bytes(rgba: np.ndarray) -> bytes:
    """PNG file bytes of an RGBA image (height, width, 4) of uint8."""
    h, w, _ = rgba.shape
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rgba.reshape(h, w * 4)], axis=1)  # filter byte 0 per row
    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _chunk(b"IEND", b"")
    )


def png_data_uri(rgba: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(rgba)).decode("ascii")


def indexed_png_bytes(index: np.ndarray, palette: np.ndarray) -> bytes:
    """PNG file bytes of a palette image: ``index`` (height, width) of uint8 into
    ``palette`` (n <= 256, 4) RGBA. One byte a pixel instead of four: pictures coloured
    through a lookup table compress to a fraction of their RGBA size."""
    h, w = index.shape
    rows = np.concatenate([np.zeros((h, 1), np.uint8), index.astype(np.uint8)], axis=1)
    header = struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)  # 8-bit palette, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"PLTE", palette[:, :3].astype(np.uint8).tobytes())
        + _chunk(b"tRNS", palette[:, 3].astype(np.uint8).tobytes())
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 3))
        + _chunk(b"IEND", b"")
    )


def indexed_data_uri(index: np.ndarray, palette: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(indexed_png_bytes(index, palette)).decode("ascii")


def color_index(values: np.ndarray, low: float, high: float, n: int = 255) -> np.ndarray:
    """values (h, w) -> uint8 indices 0..n-1 spanning [low, high]; NaN -> index n (keep that
    palette entry transparent)."""
    scaled = (np.nan_to_num(values, nan=low) - low) / ((high - low) or 1.0)
    index = np.clip((scaled * (n - 1)).round(), 0, n - 1).astype(np.uint8)
    index[np.isnan(values)] = n
    return index


def _hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def lookup_table(colorscale: list, n: int = 256) -> np.ndarray:
    """(n, 4) uint8 RGBA colours interpolated along a Plotly-style colorscale of
    ``[[position, "#rrggbb"], ...]``."""
    positions = np.array([p for p, _ in colorscale])
    colors = np.array([_hex_rgb(c) for _, c in colorscale])
    t = np.linspace(0, 1, n)
    rgb = np.column_stack([np.interp(t, positions, colors[:, k]) for k in range(3)])
    return np.column_stack([rgb, np.full(n, 255.0)]).round().astype(np.uint8)


def colorize(values: np.ndarray, low: float, high: float, table: np.ndarray) -> np.ndarray:
    """values (h, w) -> RGBA (h, w, 4) through ``table``, with [low, high] spanning it;
    NaN becomes transparent. Row 0 of ``values`` is drawn at the top."""
    scaled = (np.nan_to_num(values, nan=low) - low) / ((high - low) or 1.0)
    index = np.clip((scaled * (len(table) - 1)).round(), 0, len(table) - 1).astype(np.intp)
    rgba = table[index]
    rgba[np.isnan(values)] = 0
    return rgba


def _disc(radius: float, scale: int = 3) -> np.ndarray:
    """Antialiased coverage (0..1) of a disc, on a (2r + 1)-pixel square, by supersampling."""
    size = int(np.ceil(radius)) * 2 + 1
    fine = (np.arange(size * scale) + 0.5) / scale - size / 2
    inside = (fine[:, None] ** 2 + fine[None, :] ** 2) <= radius**2
    return inside.reshape(size, scale, size, scale).mean(axis=(1, 3))


def dots_rgba(
    px: np.ndarray,
    py: np.ndarray,
    colors: np.ndarray,
    width: int,
    height: int,
    *,
    radius: float = 3.4,
    outline: tuple = (255, 255, 255),
    outline_width: float = 1.0,
) -> np.ndarray:
    """A transparent RGBA image (height, width, 4) with a dot at each pixel position
    (px, py measured from the top left), filled with ``colors`` (n, 3) and outlined."""
    image = np.zeros((height, width, 4), np.float64)
    outer, inner = _disc(radius + outline_width), _disc(radius)
    pad = (len(outer) - len(inner)) // 2
    inner = np.pad(inner, pad)
    r = len(outer) // 2
    for x, y, color in zip(np.round(px).astype(int), np.round(py).astype(int), colors):
        y0, y1, x0, x1 = y - r, y + r + 1, x - r, x + r + 1
        if y0 < 0 or x0 < 0 or y1 > height or x1 > width:
            continue  # a point on the very edge: skipped rather than clipped
        rgb = inner[..., None] * color + (outer - inner)[..., None] * np.asarray(outline)
        alpha = outer[..., None]
        patch = image[y0:y1, x0:x1]
        # "over" compositing on premultiplied colour: later dots cover earlier ones
        patch[..., :3] = rgb + patch[..., :3] * (1 - alpha)
        patch[..., 3:] = alpha * 255 + patch[..., 3:] * (1 - alpha)
    coverage = image[..., 3:] / 255
    image[..., :3] = np.divide(image[..., :3], coverage, out=np.zeros_like(image[..., :3]), where=coverage > 0)
    return image.clip(0, 255).round().astype(np.uint8)  # PNG holds straight, not premultiplied, colour
