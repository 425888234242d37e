"""The traced point written out as HTML, with the run's numbers: the forward pass layer by
layer (x, W and b as one table, z = x·W + b, a = σ(z)), one neuron's weighted sum in full,
the output, and for a data point its loss and the backward pass. Pure: no Streamlit.

Every name a user gave (a CSV's columns and classes) is escaped: this is the panel's
innerHTML. Numbers are shown to 3 decimals (slopes, often tiny, to 4 significant digits).
"""

import math
from html import escape

from engine import softmax_parts
from ui.playground.trace import TracedPoint

WIDE = 8  # a layer with more neurons in or out than this is written as vectors (no W table)
LOSS_FORMULAS = {
    "quadratic": "½ Σ (ŷ − y)²",
    "binary_cross_entropy": "−[y log ŷ + (1 − y) log(1 − ŷ)]",
    "softmax_cross_entropy": "−Σ y log ŷ",
    "mae": "Σ |ŷ − y|",
    "huber": "Σ huber(ŷ − y)",
    "hinge": "Σ max(0, 1 − y·ŷ)",
}


def num(value: float) -> str:
    """A number to 3 decimals, with a true minus sign."""
    value = float(value)
    if not math.isfinite(value):  # math, not NumPy: called for every number of every frame
        return "NaN" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text.replace("-", "−")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def slope(value: float) -> str:
    """A slope or a step, often tiny: 4 significant digits, powers of ten as 10⁻⁵."""
    if not math.isfinite(value):
        return num(value)
    mantissa, _, power = f"{value:.4g}".partition("e")
    text = mantissa.replace("-", "−")
    return f"{text}×10{str(int(power)).translate(_SUPERSCRIPT)}" if power else text


def _signed(value: str) -> str:
    return f"({value})" if value.startswith("−") else value


def _row(head: str, cells, cls: str = "") -> str:
    tds = "".join(f"<td>{c}</td>" for c in cells)
    return f'<tr class="{cls}"><th>{head}</th>{tds}</tr>'


def _layer_table(i: int, layer, names_in: list[str], names_out: list[str], title: str) -> str:
    """Layer i: rows are the neurons the connections come from (and the constant 1 whose
    weights are the biases), columns those they go to; then z and a."""
    act = escape(layer.activation)
    wide = len(names_in) > WIDE or len(names_out) > WIDE
    head = _row("", [f"<b>{n}</b>" for n in names_out], "names")
    if wide:
        body = ""
        note = (
            f'<p class="trace-small">W{i + 1} ({len(names_in)}×{len(names_out)}) and b{i + 1}: '
            "in the weight matrices picture; here the results only.</p>"
        )
    else:
        rows = [
            _row(f"{n} = {num(x)}", [num(w) for w in W_row], "w") for n, x, W_row in zip(names_in, layer.x, layer.W)
        ]
        rows.append(_row("1 (bias input)", [num(b) for b in layer.b], "w bias"))
        body = "".join(rows)
        note = ""
    body += _row(f"z = x·W{i + 1} + b{i + 1}", [num(z) for z in layer.z], "z")
    body += _row(f"a = {act}(z)", [f"<b>{num(a)}</b>" for a in layer.a], "a")
    return (
        f'<div class="trace-layer"><p class="trace-title">{title}: a = {act}(x·W{i + 1} + b{i + 1})</p>'
        f'<table class="trace-table">{head}{body}</table>{note}</div>'
    )


def _weighted_sum(i: int, j: int, layer, names_in: list[str], name: str) -> str:
    """Neuron j of layer i: every product w·x, the bias (weight of the input 1), the sum, σ."""
    w, x, b = layer.W[:, j], layer.x, float(layer.b[j])
    products = " + ".join(f"{_signed(num(wk))}·{_signed(num(xk))}" for wk, xk in zip(w, x))
    values = " + ".join(_signed(num(wk * xk)) for wk, xk in zip(w, x))
    act = escape(layer.activation)
    return (
        f'<p class="trace-sum"><b>{name}</b>: z = {products} + {_signed(num(b))}·1 '
        f"= {values} + {_signed(num(b))} = <b>{num(layer.z[j])}</b>; "
        f"a = {act}({num(layer.z[j])}) = <b>{num(layer.a[j])}</b></p>"
        f'<p class="trace-small">The bias {num(b)} is the weight of an extra input that is always 1 '
        f"(the row “1 (bias input)” above). Inputs: {', '.join(names_in)}.</p>"
    )


def _output(point: TracedPoint, run, class_names: tuple[str, ...], out_names: list[str]) -> str:
    last = point.trace.layers[-1]
    parts = []
    if last.activation == "softmax":
        e, total, shift = softmax_parts(last.z)
        power = "e<sup>z</sup>" if not shift else f"e<sup>z − {num(shift)}</sup>"
        terms = ", ".join(f"{n} = {num(v)}" for n, v in zip(out_names, e))
        probs = ", ".join(f"{n} = {num(v)}/{num(total)} = <b>{num(a)}</b>" for n, v, a in zip(out_names, e, last.a))
        parts.append(
            f'<p class="trace-sum">softmax: {power} for each output: {terms}; Σ = {num(total)}; '
            f"a = {power} / Σ: {probs}</p>"
        )
    output = point.trace.output
    if run.n_classes:
        predicted = int(run.trainer.predict_classes(output[None, :])[0])
        said = escape(class_names[predicted]) if predicted < len(class_names) else f"class {predicted}"
        if len(output) == 1:
            low, high = run.value_range()
            rule = f"ŷ = {num(output[0])} {'>' if predicted else '≤'} {num(0.5 * (low + high))}"
        else:
            rule = f"the largest output is {out_names[predicted]} = {num(output[predicted])}"
        parts.append(f'<p class="trace-result">Prediction: <b>{said}</b> ({rule}).</p>')
    else:
        parts.append(f'<p class="trace-result">Prediction: ŷ = <b>{num(output[0])}</b>.</p>')
    return "".join(parts)


def _loss_and_backward(point: TracedPoint, run, labels, class_names, pick, learning_rate: float) -> str:
    back = point.trace.backward
    loss = run.trainer.loss.name
    if run.n_classes:
        label = int(point.label)
        said = escape(class_names[label]) if label < len(class_names) else f"class {label}"
    else:
        said = num(float(point.label))
    target = ", ".join(num(t) for t in point.target)
    formula = LOSS_FORMULAS.get(loss, loss)
    parts = [
        f'<p class="trace-result">Label: <b>{said}</b>, trained on as y = ({target}). '
        f"Its own loss ({escape(loss.replace('_', ' '))}, {formula}): <b>{num(back.loss)}</b>.</p>",
        '<p class="trace-title">Backward: δ = ∂L/∂z, sent back layer by layer: '
        "δ of the output from the loss, then "
        "δ<sub>i</sub> = (W<sub>i+1</sub> · δ<sub>i+1</sub>) ⊙ σ′(z<sub>i</sub>)</p>",
        '<div class="trace-layers">',
    ]
    for i, delta in enumerate(back.delta):
        head = _row("", [f"<b>{n}</b>" for n in labels[i + 1]], "names")
        parts.append(
            f'<table class="trace-table">{head}{_row(f"δ, layer {i + 1}", [slope(d) for d in delta], "z")}</table>'
        )
    parts.append("</div>")
    i, j = pick
    layer = point.trace.layers[i]
    source = labels[i][0]
    grad = float(back.grad_W[i][0, j])
    change = -learning_rate * grad
    parts.append(
        f'<p class="trace-sum">Chain rule for the weight {source} → {labels[i + 1][j]}: '
        f"∂L/∂w = a<sub>from</sub> · δ<sub>to</sub> = {_signed(num(layer.x[0]))} × {_signed(slope(back.delta[i][j]))} "
        f"= <b>{slope(grad)}</b>; this point alone would change it by Δw = −lr · ∂L/∂w = "
        f"−{learning_rate:g} × {_signed(slope(grad))} = <b>{slope(change)}</b>. "
        f"Its bias: ∂L/∂b = δ = {slope(back.grad_b[i][j])} (its input is 1).</p>"
    )
    if run.trainer.l1 or run.trainer.l2:
        parts.append(
            '<p class="trace-small">Regularization adds its own term to each weight’s slope; not shown here.</p>'
        )
    return "".join(parts)


def trace_html(run, point: TracedPoint, labels: list[list[str]], class_names, pick: tuple[int, int]) -> str:
    """The whole write-up for ``point``. ``labels[j]`` names column j's nodes, as the
    network picture labels them: HTML-escaped already (``plotly_text``), ``pick`` = (layer, unit) the
    neuron whose weighted sum is written in full."""
    names = labels  # escaped already: Plotly's labels are HTML-escaped text (plotly_text)
    if point.raw is not None:
        where = f"(x₁, x₂) = ({num(point.raw[0])}, {num(point.raw[1])})"
    else:
        where = "(" + ", ".join(num(v) for v in point.inputs) + ")"
    what = f"{point.part} point, row {point.row + 1}" if point.row is not None else "a point of the plane"
    vector = ", ".join(f"{n} = {num(v)}" for n, v in zip(names[0], point.inputs))
    parts = [
        f'<div class="trace"><p class="trace-head">Traced: <b>{what}</b> {where}. '
        f"The network's input x = ({vector}).</p>"
    ]
    # The layers side by side, left to right as in the network picture (wrapping when narrow)
    parts.append('<div class="trace-layers">')
    for i, layer in enumerate(point.trace.layers):
        title = f"Layer {i + 1} ({'output' if i == len(point.trace.layers) - 1 else f'hidden {i + 1}'})"
        parts.append(_layer_table(i, layer, names[i], names[i + 1], title))
    parts.append("</div>")
    i, j = pick
    parts.append(_weighted_sum(i, j, point.trace.layers[i], names[i], names[i + 1][j]))
    parts.append(_output(point, run, tuple(class_names), names[-1]))
    if point.trace.backward is not None:
        parts.append(_loss_and_backward(point, run, names, class_names, pick, run.trainer.learning_rate))
    else:
        parts.append(
            '<p class="trace-small">A point of the plane has no label, so no loss: '
            "trace a data point (click one) to see its loss and the backward pass.</p>"
        )
    parts.append("</div>")
    return "".join(parts)
