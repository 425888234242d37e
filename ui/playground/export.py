"""Take a run home and bring it back: the configuration as JSON, the weights as ``.npz``
(no pickle) or JSON, the training history as CSV. Pure: no Streamlit.

Every reader checks what it is given before trusting it: a size limit in bytes, the
format, the keys, the shapes (each layer's W (fan_in, fan_out) must chain into the next,
b (fan_out,) must match), finite numbers, and ``np.load(..., allow_pickle=False)`` after
the archive's members and array headers were inspected, so a pickled object or an array
announcing billions of elements is refused before anything is unpacked. Problems raise
``FileProblem`` (a ValueError) whose message names the mismatch.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

import numpy as np

from ui.live import link
from ui.playground.config import MAX_HIDDEN_LAYERS, SCHEMA

CONFIG_FORMAT = "nn-playground/config"
WEIGHTS_FORMAT = "nn-playground/weights"
VERSION = 1
MAX_CONFIG_BYTES = 64 * 1024
MAX_WEIGHTS_BYTES = 2 * 1024 * 1024
MAX_LAYERS = MAX_HIDDEN_LAYERS + 1
MAX_UNITS = 128  # per layer: 16 hidden neurons, up to 100 inputs of a CSV, 10 classes
MAX_ARRAYS = 2 * MAX_LAYERS + 2  # W and b per layer, "sizes", "config"
MAX_ELEMENTS = MAX_UNITS * MAX_UNITS  # per array


class FileProblem(ValueError):
    """A file that cannot be imported; the message says what does not fit."""


@dataclass
class Weights:
    """Weights read from a file: ``W[i]`` (fan_in, fan_out), ``b[i]`` (fan_out,), and the
    configuration they were trained with when the file carries one."""

    W: list[np.ndarray]
    b: list[np.ndarray]
    config: dict | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.W[0].shape[0], *(w.shape[1] for w in self.W))


# ---- configuration -----------------------------------------------------------------------


def _jsonable(config: dict) -> dict:
    return {f.name: list(config[f.name]) if isinstance(config[f.name], tuple) else config[f.name] for f in SCHEMA}


def config_to_json(config: dict) -> str:
    """The whole configuration (every field, defaults too) as a JSON document."""
    return json.dumps({"format": CONFIG_FORMAT, "version": VERSION, "config": _jsonable(config)}, indent=2)


def _load_json(data: bytes | str, limit: int, what: str):
    if len(data) > limit:
        raise FileProblem(f"the file has {len(data):,} bytes; a {what} file may have at most {limit:,}")
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        return json.loads(text, parse_constant=_no_constant, parse_int=_whole_number)
    except UnicodeDecodeError:
        raise FileProblem("the file is not UTF-8 text") from None
    except RecursionError:
        raise FileProblem("the JSON is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise FileProblem(f"the file is not valid JSON ({error.msg} at line {error.lineno})") from None


MAX_DIGITS = 30  # no setting needs more; Python refuses to read over 4,300 digits at all


def _whole_number(text: str) -> int:
    """A JSON integer, refused in words when it is longer than any setting could need."""
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise FileProblem(f"the JSON holds a number of {digits:,} digits; no setting takes one that long")
    return int(text)


def _no_constant(name: str):
    raise FileProblem(f"the JSON holds {name}, which is not a finite number")


def config_from_json(data: bytes | str) -> tuple[dict, list[str]]:
    """(configuration, notices) from ``config_to_json``'s output (or a plain object of
    fields). Values go through the same schema as a link's: unknown keys and unusable
    values are named in the notices and left out, numbers clamped to the widgets' limits."""
    document = _load_json(data, MAX_CONFIG_BYTES, "configuration")
    if not isinstance(document, dict):
        raise FileProblem("a configuration file holds a JSON object of settings")
    if document.get("format", CONFIG_FORMAT) != CONFIG_FORMAT:
        raise FileProblem(f"the file's format is {link.quote(document['format'])}, not {CONFIG_FORMAT}")
    settings = document.get("config", {k: v for k, v in document.items() if k not in ("format", "version")})
    if not isinstance(settings, dict):
        raise FileProblem('"config" must be a JSON object of settings')
    known = {f.name for f in SCHEMA}
    if not any(k in known for k in settings):
        raise FileProblem(f"the file names none of the settings ({', '.join(sorted(known)[:6])}, ...)")
    notices = [f"{link.quote(k)} is not a setting, ignored" for k in settings if k not in known]
    config = link.read_fields(SCHEMA, [(k, v) for k, v in settings.items() if k in known], notices)
    return config, notices


# ---- weights -----------------------------------------------------------------------------


def weights_to_npz(network, config: dict | None = None) -> bytes:
    """``W0..W{L-1}``, ``b0..b{L-1}``, ``sizes`` and (when given) ``config`` as JSON text,
    in NumPy's ``.npz`` (``np.savez``: plain arrays, nothing pickled)."""
    arrays = {f"W{i}": w for i, w in enumerate(network.W)}
    arrays |= {f"b{i}": b for i, b in enumerate(network.b)}
    arrays["sizes"] = np.array(network.sizes)
    if config is not None:
        arrays["config"] = np.array(config_to_json(config))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def weights_to_json(network, config: dict | None = None) -> str:
    """The same as JSON: ``{"format", "version", "sizes", "layers": [{"W", "b"}], "config"}``;
    numbers written exactly (shortest round-trip form)."""
    document = {
        "format": WEIGHTS_FORMAT,
        "version": VERSION,
        "sizes": list(network.sizes),
        "hidden_activations": network.hidden_activation_names,
        "output_activation": network.output_activation_name,
        "layers": [{"W": w.tolist(), "b": b.tolist()} for w, b in zip(network.W, network.b)],
    }
    if config is not None:
        document["config"] = _jsonable(config)
    return json.dumps(document)


def weights_from_npz(data: bytes) -> Weights:
    """Weights from a ``.npz``; see the module docstring for what is checked."""
    if len(data) > MAX_WEIGHTS_BYTES:
        raise FileProblem(f"the file has {len(data):,} bytes; a weights file may have at most {MAX_WEIGHTS_BYTES:,}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem("this is not an .npz file (NumPy's zip archive of arrays)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [_inspect_member(archive, info) for info in _members(archive)]
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in names}
    except FileProblem:
        raise
    except ValueError as error:  # np.load refusing pickled data, or a malformed header
        if "pickle" in str(error).lower():
            raise FileProblem("the file holds Python objects (pickled data), which are never loaded") from None
        raise FileProblem("an array in the file is damaged") from None  # numpy's text may quote the file
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as error:
        raise FileProblem(f"the file is damaged ({type(error).__name__})") from None
    config, notices = None, []
    if "config" in arrays:
        config_text = arrays.pop("config")
        if config_text.dtype.kind != "U" or config_text.ndim != 0:
            raise FileProblem('"config" must hold the configuration as JSON text')
        config, notices = config_from_json(str(config_text))
    sizes = arrays.pop("sizes", None)
    W, b = _layers({k: v for k, v in arrays.items()})
    weights = Weights(W, b, config, notices)
    if sizes is not None and tuple(np.ravel(sizes).tolist()) != weights.sizes:
        raise FileProblem(f'"sizes" says {_sizes(np.ravel(sizes).tolist())} but the arrays are {_sizes(weights.sizes)}')
    return weights


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ARRAYS:
        raise FileProblem(f"the file holds {len(infos)} arrays; a network has at most {MAX_ARRAYS}")
    for info in infos:
        if not info.filename.endswith(".npy") or "/" in info.filename:
            raise FileProblem(f"{link.quote(info.filename)} is not an array of an .npz file")
        # Unpacked sizes, before anything is unpacked: 8 bytes a number, 4 a character.
        limit = 4096 + (4 * MAX_CONFIG_BYTES if info.filename == "config.npy" else 8 * MAX_ELEMENTS)
        if info.file_size > limit:
            raise FileProblem(f"{link.quote(info.filename)} is {info.file_size:,} bytes unpacked: too large")
    return infos


def _inspect_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The array's name, after its header showed a plain dtype and a modest shape."""
    name = info.filename[:-4]
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise FileProblem(f"{link.quote(name)} uses .npy version {version}, which is not read")
    if dtype.hasobject:
        raise FileProblem(f"{link.quote(name)} holds Python objects (pickled data), which are never loaded")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count > MAX_ELEMENTS or any(n > MAX_ELEMENTS for n in shape):
        raise FileProblem(f"{link.quote(name)} has shape {tuple(shape)}: far larger than any network here")
    if name == "config":
        return name
    if dtype.kind not in "fiu":
        raise FileProblem(f"{link.quote(name)} holds {dtype} values, not numbers")
    return name


def _sizes(sizes) -> str:
    return "-".join(str(n) for n in sizes)


def _layers(arrays: dict) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """W and b lists from ``{"W0": ..., "b0": ...}``, checked: names, count, shapes, values."""
    n = sum(1 for k in arrays if k.startswith("W"))
    expected = {f"W{i}" for i in range(n)} | {f"b{i}" for i in range(n)}
    unknown = sorted(set(arrays) - expected)
    if unknown:
        raise FileProblem(f"unexpected entries {', '.join(map(link.quote, unknown[:5]))}: expected W0, b0, W1, ...")
    missing = sorted(expected - set(arrays), key=lambda k: (int(k[1:]), k[0]))
    if missing:
        raise FileProblem(f"missing {', '.join(missing[:5])}")
    if not 1 <= n <= MAX_LAYERS:
        raise FileProblem(f"the file has {n} layers; a network here has 1 to {MAX_LAYERS}")
    W = [_numbers(arrays[f"W{i}"], f"W{i}", 2) for i in range(n)]
    b = [_numbers(arrays[f"b{i}"], f"b{i}", 1) for i in range(n)]
    for i in range(n):
        fan_in, fan_out = W[i].shape
        if not (1 <= fan_in <= MAX_UNITS and 1 <= fan_out <= MAX_UNITS):
            raise FileProblem(f"W{i} is {fan_in} × {fan_out}; layers here have 1 to {MAX_UNITS} units")
        if b[i].shape != (fan_out,):
            raise FileProblem(f"b{i} has {b[i].size} values but W{i} has {fan_out} columns")
        if i and W[i - 1].shape[1] != fan_in:
            raise FileProblem(f"W{i - 1} gives {W[i - 1].shape[1]} outputs but W{i} takes {fan_in} inputs")
    return W, b


def _numbers(value, name: str, ndim: int) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise FileProblem(f"{name} is not a {'table' if ndim == 2 else 'list'} of numbers") from None
    if array.ndim != ndim:
        raise FileProblem(
            f"{name} must be {'a table (rows × columns)' if ndim == 2 else 'a list'}, got shape {array.shape}"
        )
    if array.size > MAX_ELEMENTS:
        raise FileProblem(f"{name} has {array.size:,} values: far more than any network here")
    if not np.all(np.isfinite(array)):
        raise FileProblem(f"{name} holds NaN or infinite values")
    return array


def weights_from_json(data: bytes | str) -> Weights:
    """Weights from ``weights_to_json``'s output; see the module docstring."""
    document = _load_json(data, MAX_WEIGHTS_BYTES, "weights")
    if not isinstance(document, dict) or "layers" not in document:
        raise FileProblem('a weights file holds a JSON object with "layers": [{"W": ..., "b": ...}, ...]')
    if document.get("format", WEIGHTS_FORMAT) != WEIGHTS_FORMAT:
        raise FileProblem(f"the file's format is {link.quote(document['format'])}, not {WEIGHTS_FORMAT}")
    layers = document["layers"]
    if not isinstance(layers, list) or not all(isinstance(layer, dict) for layer in layers):
        raise FileProblem('"layers" must be a list of {"W": table, "b": list}')
    if len(layers) > MAX_LAYERS:
        raise FileProblem(f"the file has {len(layers)} layers; a network here has 1 to {MAX_LAYERS}")
    arrays = {}
    for i, layer in enumerate(layers):
        extra = sorted(set(layer) - {"W", "b"})
        if extra:
            raise FileProblem(f"layer {i} has unexpected keys {', '.join(map(link.quote, extra[:5]))}")
        arrays |= {f"{key}{i}": layer[key] for key in ("W", "b") if key in layer}
    W, b = _layers(arrays)
    config, notices = None, []
    if document.get("config") is not None:
        config, notices = config_from_json(json.dumps({"config": document["config"]}))
    weights = Weights(W, b, config, notices)
    sizes = document.get("sizes")
    if sizes is not None and (not isinstance(sizes, list) or tuple(sizes) != weights.sizes):
        raise FileProblem(f'"sizes" says {link.quote(sizes)} but the layers are {_sizes(weights.sizes)}')
    return weights


def read_import(name: str, data: bytes) -> tuple[dict | None, Weights | None, list[str]]:
    """(configuration, weights, notices) from an uploaded file: ``.npz`` is weights; a JSON
    file is weights when it has "layers", else a configuration. Raises FileProblem."""
    if name.lower().endswith(".npz"):
        weights = weights_from_npz(data)
        return weights.config, weights, weights.notices
    document = _load_json(data, MAX_WEIGHTS_BYTES, "weights")
    if isinstance(document, dict) and "layers" in document:
        weights = weights_from_json(data)
        return weights.config, weights, weights.notices
    if len(data) > MAX_CONFIG_BYTES:
        raise FileProblem(
            f"the file has {len(data):,} bytes; a configuration file may have at most {MAX_CONFIG_BYTES:,}"
        )
    config, notices = config_from_json(data)
    return config, None, notices


def check_fits(weights: Weights, network) -> None:
    """FileProblem naming the first layer whose shape differs from ``network``'s."""
    if weights.sizes == tuple(network.sizes):
        return
    if len(weights.W) != network.n_layers:
        detail = f"{len(weights.W)} weight layers, the network {network.n_layers}"
    else:
        i = next(i for i, (w, v) in enumerate(zip(weights.W, network.W)) if w.shape != v.shape)
        (rows, cols), (n_rows, n_cols) = weights.W[i].shape, network.W[i].shape
        detail = f"W{i} is {rows} × {cols}, the network's {n_rows} × {n_cols}"
    raise FileProblem(
        f"the file's network is {_sizes(weights.sizes)} but this one is {_sizes(network.sizes)} ({detail})"
    )


# ---- history -----------------------------------------------------------------------------


def history_to_csv(history) -> str:
    """One row per epoch: epoch, train_loss, test_loss (and the accuracies when classifying)."""
    columns = history.as_columns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*columns.values()))
    return out.getvalue()
