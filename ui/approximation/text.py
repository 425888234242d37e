"""The Universal approximation page's words: its title and captions, the notes shown for
some setups, the introductions of the sweep and the depth comparison, and the explanation
folded away under the pictures."""

from collections.abc import Sequence

TITLE = "Universal approximation"
CAPTION = (
    "One hidden layer can approximate any continuous function on an interval. Pick a target in the sidebar, "
    "press Play, then add neurons and watch the fit improve."
)
SWEEP_INTRO = (
    "**The sweep**: a fresh network of each width, trained with the settings above; its errors appear "
    "dashed in *Error versus neurons*."
)
DEPTH_TITLE = "Width versus depth: why go deep?"
DEPTH_INTRO = (
    "The same parameter budget as one wide hidden layer and as 2 to 4 narrow ones, trained side by side "
    "on this target with the settings above."
)
ZIGZAG_INTRO = "**What depth can do**: a zigzag built by hand, each layer folding the one before."
PRESET_BUTTON = "Open a sawtooth where depth wins"


def preset_caption(label: str, config: dict, url: str) -> str:
    """Beside the preset's button: what it opens, and the link that opens it."""
    return (
        f"Opens the target {label} sampled at {config['n_samples']:,} points, a budget of {config['budget']} "
        f"parameters and {config['depth_epochs']:,} epochs per network, the setup measured by "
        f"`benchmarks/depth_vs_width.py`. Its link: `{url}`"
    )


def _architecture(result) -> str:
    hidden = result.sizes[1:-1]
    if len(hidden) == 1:
        return f"one hidden layer of {hidden[0]} neurons ({result.n_params} parameters)"
    sizes = "-".join(map(str, result.sizes))
    return f"{len(hidden)} hidden layers of {hidden[0]} ({sizes}, {result.n_params} parameters)"


def depth_verdict(outcome, epochs: int, zigzag_depth: int) -> str:
    """Which won the comparison, in its own numbers (RMSE and max error on the grid), and
    what the zigzag beside it does with depth. ``outcome``: a ``run.DepthOutcome``."""
    shallow, deep = outcome.shallow, outcome.deep
    pieces = f"{6 * zigzag_depth + 1} parameters in {zigzag_depth} layers of 2 relu neurons make {2**zigzag_depth}"
    if outcome.wins:
        head = (
            f"**Trained, depth won.** After {epochs:,} epochs each, {_architecture(deep)} reached an RMSE of "
            f"**{deep.rmse:.4f}** against **{shallow.rmse:.4f}** for {_architecture(shallow)}: "
            f"{outcome.ratio:.2f} times lower."
        )
    else:
        head = (
            f"**Trained, one hidden layer won.** After {epochs:,} epochs each, {_architecture(shallow)} reached an "
            f"RMSE of **{shallow.rmse:.4f}**; the best deeper network, {_architecture(deep)}, **{deep.rmse:.4f}**."
        )
    return (
        f"{head} Max error: {deep.max_error:.4f} deep, {shallow.max_error:.4f} with one layer (measured, like the "
        f"RMSE, on 1,001 points against the clean target). **Built by hand** below, depth does more: {pieces} "
        "straight pieces."
    )


EXPLANATION_TITLE = "How does this work?"

STEP_NOTE = (
    "The step activation has no slope, so backpropagation cannot move its jumps: only the output weights "
    "v<sub>j</sub> and the bias learn, and the fit improves only as more (randomly placed) jumps are added."
)

LINEAR_NOTE = (
    "A sum of straight lines is a straight line: with a linear activation no number of neurons can bend the fit. "
    "The theorem needs an activation that is not a polynomial."
)

EXPLANATION = r"""
**The theorem.** One hidden layer computes $y(x) = b + \sum_j v_j\, h(w_j x + b_j)$. For every continuous *f* on a
closed interval and every tolerance ε > 0 there is a width *n* and weights with |*y(x) − f(x)*| < ε at
**every** *x* of the interval: the **max error** in the chart can be made as small as you like (Cybenko 1989
for sigmoids, Hornik 1991, and Leshno et al. 1993 for any activation that is not a polynomial).

**How, with relu.** Each piece $v_j\,\mathrm{relu}(w_j x + b_j)$ is zero on one side of its kink
$-b_j/w_j$ and a straight line on the other. Their sum is a broken line that bends only at the kinks,
so *n* neurons give *n + 1* straight segments; laid along a smooth *f*, the error of such a broken
line falls like 1/*n*² as the kinks get closer. Tanh and sigmoid pieces are soft steps: added up they form a
staircase that follows *f*.

**Adding a neuron** gives it random incoming weights (with the *spread* initializer its kink lands somewhere
in [−2, 2]) and an output weight *v = 0*: the function does not change, but the gradient on *v* is not zero,
so training starts using the neuron at once. The optimizer restarts (its running averages belonged to the old
weights). **Removing the weakest** drops the neuron with the smallest $|v_j|$: a cheap guess at the one that
matters least.

**What the theorem does not say.**
- *How many neurons*: in one dimension a few dozen do; for functions of many inputs the number can grow
  exponentially with the dimension.
- *That training finds the weights*: it says they exist. Gradient descent can stall: a relu whose kink has
  left the data is flat on every point and stops learning.
- *Anything outside the interval*: beyond [−2, 2] the network continues its outermost pieces.
- *Discontinuous targets*: the step and the sawtooth jump; watch their max error.

**Why go deep?** Depth does not make more functions reachable (one layer already reaches them all); it makes
some of them **cheap**. Composing layers multiplies the number of pieces where widening adds to it: the
zigzag below takes *d* layers of 2 relu neurons, but 2ᵈ − 1 neurons in one layer. Whether gradient descent
finds such compact solutions is another matter, and the side-by-side comparison shows what it finds with the
same parameter budget.
"""


# ---- the caveat of a target that jumps: said with this run's own numbers ----------------------

Row = tuple[int, float, float]  # (hidden neurons, max error, RMSE)


def number(value: float, digits: int = 3) -> str:
    """A number as the page writes it: ``digits`` significant digits, a true minus sign."""
    text = f"{value:.{digits}g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def position(x: float) -> str:
    """An x position: three decimals (two significant digits very near 0)."""
    return number(x, 2) if abs(x) < 0.01 else number(round(x, 3), 4)


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _change(old: float, new: float) -> str:
    """How a measured error changed, in words that the two numbers bear out."""
    if new < 0.9 * old:
        return "fell"
    if new > 1.1 * old:
        return "rose"
    return "stayed about the same"


def _measured(rows: Sequence[Row], source: str, gap: bool) -> str:
    """What the error chart shows of this run (settled records) or of the sweep."""
    if not rows:
        return (
            "Once training settles, *Error versus neurons* records the max error and the RMSE at this width: "
            "add neurons and compare."
        )
    where = "In the sweep" if source == "sweep" else "Measured once training had settled"
    first, last = rows[0], rows[-1]
    neurons = f"{first[0]} neuron{'s' if first[0] > 1 else ''}"
    text = f"{where}: with {neurons}, max error {first[1]:.4f} and RMSE {first[2]:.4f}"
    if len(rows) == 1:
        return text + "."
    text += f"; with {last[0]}, max error {last[1]:.4f} and RMSE {last[2]:.4f}."
    peak, spread = _change(first[1], last[1]), _change(first[2], last[2])
    both = f"both {peak}" if peak == spread else f"the max error {peak} and the RMSE {spread}"
    text += f" From {first[0]} to {last[0]} neurons {both}"
    if gap and spread != "fell":
        text += ": more neurons bring no more samples, and the stretch between the two around the jump stays as wide"
    return text + "."


def jump_caveat(
    jumps: Sequence[tuple[float, float]],
    around: tuple[float, float, float] | None,
    rows: Sequence[Row],
    source: str = "settled",
) -> str:
    """Why the max error of a target that jumps does not vanish, with this run's numbers.

    ``jumps``: (x, height) of each jump of the target; ``around``: (x of a jump, the nearest
    training samples before and after it), or None; ``rows``: (neurons, max error, RMSE)
    by width, measured once training settled (``source`` "settled") or by the sweep
    ("sweep")."""
    height = max(abs(h) for _, h in jumps)
    same = all(abs(h) > 0.95 * height for _, h in jumps)
    where = _listed([position(x) for x, _ in jumps])
    jump = f"by {number(height)} at x = {where}" if same else f"at x = {where} (by up to {number(height)})"
    half = number(height / 2)
    text = (
        "**Why the max error does not vanish here:** the theorem promises a small error everywhere only for "
        f"*continuous* targets, and this one jumps {jump}. A network with a continuous activation is itself "
        "continuous: beside a jump it must pass through the values in between, so there it misses by **at least "
        f"half the jump** ({half} here) however many neurons it has."
    )
    if around is not None:
        x0, before, after = around
        text += (
            " Where it crosses is not fixed either: it learns from the samples only, the nearest on either side "
            f"of the jump at x = {position(x0)} lie at x = {position(before)} and {position(after)}, and it may "
            "cross anywhere between them, so near the jump it can miss by almost the whole jump."
        )
    if any(r[1] < height / 2 for r in rows):
        text += " (The grid's 1,001 points may straddle the steepest part, so a measured max error can come out lower.)"
    return f"{text}\n\n{_measured(rows, source, around is not None)}"
