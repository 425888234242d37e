"""The Playground's words: the "What am I looking at?" panels, one per picture, and the
pictures' titles."""

EXPLANATIONS = {
    "network": """
Each square is one neuron, drawn as a tiny picture of the whole input plane: the colour
at each spot is what that neuron outputs when the network is given that point
(**blue** positive, **orange** negative, grey near zero).

- The first column shows the **input features** (X₁ is simply "how far right", X₂ "how
  far up", X₁² a bowl, and so on).
- Each hidden neuron computes a weighted sum of the column before it, adds its bias,
  and squashes the result with the activation function. Watch simple stripes in the
  first hidden layer combine into curves and blobs further right.
- The **lines** are the weights: blue for positive, orange for negative, thicker for
  larger. Hover over a line for its value.
- The small **square** at each neuron's lower left is its **bias**, coloured the same way
  (the weight of an extra input that is always 1); hover over the neuron for its value.
- Switch on *Trace a point* and click the output picture: the point is marked in every
  neuron's picture (a ring), each neuron shows its **z** (the weighted sum plus the bias)
  and its **a** (the activation of z) for that point, and the panel under the pictures
  writes the whole forward pass out with the real numbers.
""",
    "output": """
The background is the network's prediction at every point of the plane. For two
classes the colour runs from **orange** (class 0) through grey to **blue** (class 1); the
grey band is the **decision boundary**. The dots are the training data (white outline)
and, when shown, the test data (dark outline). A good network colours each region like
the dots in it, and does so for test points it never trained on too.

Switch on *Draw points* and click on the picture to add points of your own: the network
starts learning them at once.
""",
    "loss": """
The **loss** measures how wrong the network is, averaged over the data: it should fall as
training goes on. The {ink} line is measured on the training data the network learns
from, the orange one on the held-out **test** data. When the test loss starts rising while
the training loss keeps falling, the network is **overfitting**: memorising the training
points instead of the pattern. Dotted lines show accuracy (right axis) for classification.
Try the log scale to see late progress.
""",
    "weights": """
Every layer's weights form a matrix **W** with one **row for each neuron the connections
come from** and one **column for each neuron they go to** (so the first matrix of a
2-4-2-1 network is 2 × 4). The layer computes *z = a·W + b* for a row *a* of inputs.
Colours are centred at zero (blue positive, orange negative); hover for exact values.
*Show last change ΔW* adds the change of each weight over the last frame or step: where
learning is happening right now. Pause and open *Edit the weights* to change one
yourself and see the output change.
""",
}


def explanation(name: str, ink_name: str) -> str:
    """The "What am I looking at?" text of picture ``name``; ``ink_name`` is what the words
    call the colour of the training curve ("dark", or "light" on the dark theme)."""
    return EXPLANATIONS[name].replace("{ink}", ink_name)


TITLES = {
    "network": "<b>The network</b>: every neuron's output over the input plane",
    "output": "<b>The output</b>: the prediction over the input plane, and the data",
    "loss": "<b>Loss</b> per epoch, and accuracy (right axis)",
    "trace": "<b>The traced point</b>, layer by layer: z = x·W + b, a = σ(z)",
    "health": "<b>Network health</b> per layer, over the epochs (the legend names the layers)",
    "weights": "<b>The weight matrices</b>: rows are the neurons the connections come from, columns those they go to",
}
TITLE = "Neural-network playground"
CAPTION = "A NumPy network learning live. Pick data and a network in the sidebar, then press Play."
