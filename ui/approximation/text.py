"""The Universal approximation page's words: its title and captions, the notes shown for
some setups, the introductions of the sweep and the depth comparison, and the explanation
folded away under the pictures."""

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
EXPLANATION_TITLE = "How does this work?"

JUMP_CAVEAT = (
    "**Why the max error does not vanish here:** the theorem promises a small error everywhere only for "
    "*continuous* targets, and this one jumps; a network with a continuous activation is itself continuous, so "
    "right next to the jump it must pass through the values in between and misses by about half the jump however "
    "many neurons it has (the RMSE still falls, because that stretch gets narrower)."
)

STEP_NOTE = (
    "The step activation has no slope, so backpropagation cannot move its jumps: only the output weights "
    "v<sub>j</sub> and the bias learn, and the fit improves only as more (randomly placed) jumps are added."
)

LINEAR_NOTE = (
    "A sum of straight lines is a straight line: with a linear activation no number of neurons can bend the fit. "
    "The theorem needs an activation that is not a polynomial."
)

EXPLANATION = """
**The theorem.** One hidden layer computes *y(x) = b + Σⱼ vⱼ·h(wⱼx + bⱼ)*. For every continuous *f* on a
closed interval and every tolerance ε > 0 there is a width *n* and weights with |*y(x) − f(x)*| < ε at
**every** *x* of the interval: the **max error** in the chart can be made as small as you like (Cybenko 1989
for sigmoids, Hornik 1991, and Leshno et al. 1993 for any activation that is not a polynomial).

**How, with relu.** Each piece *vⱼ·relu(wⱼx + bⱼ)* is zero on one side of its kink −*bⱼ/wⱼ* and a straight
line on the other. Their sum is a broken line that bends only at the kinks, so *n* neurons give *n + 1*
straight segments; laid along a smooth *f*, the error of such a broken line falls like 1/*n*² as the kinks get
closer. Tanh and sigmoid pieces are soft steps: added up they form a staircase that follows *f*.

**Adding a neuron** gives it random incoming weights (with the *spread* initializer its kink lands somewhere
in [−2, 2]) and an output weight *v = 0*: the function does not change, but the gradient on *v* is not zero,
so training starts using the neuron at once. The optimizer restarts (its running averages belonged to the old
weights). **Removing the weakest** drops the neuron with the smallest |*vⱼ*|: a cheap guess at the one that
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
