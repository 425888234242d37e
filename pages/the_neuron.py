"""The neuron page: one neuron with two inputs, the perceptron rule on separable data and
on XOR, why linear layers stack into one, and every activation with its derivative."""

import streamlit as st

from engine.datasets import MAX_SEED
from engine.neuron import NEURON_ACTIVATIONS
from engine.perceptron import PERCEPTRON_DATA
from ui import neuron_page as nr
from ui.live_chart import chart, forget_sent, live_panel
from ui.state import NeuronKeys as K

neuron = nr.lasting(K.NEURON, nr.NEURON_DEFAULTS, nr.NEURON_WIDGETS)
perceptron = nr.lasting(K.PERCEPTRON, nr.PERCEPTRON_DEFAULTS, {"data": K.PERCEPTRON_DATA, "seed": K.PERCEPTRON_SEED})
stack = nr.lasting(K.STACK, nr.STACK_DEFAULTS, {"activation": K.STACK_ACTIVATION, "layers": K.STACK_LAYERS})

st.title("The neuron")
st.caption("The building block of every network: a weighted sum, a bias, and an activation.")

# ---- one neuron ------------------------------------------------------------------------------

st.header("One neuron, two inputs")
st.markdown(
    "A neuron multiplies each input by its weight, adds a bias and passes the sum through an activation f: "
    "**a = f(w₁x₁ + w₂x₂ + b)**. The sum z = w·x + b is a tilted plane over the inputs; it is 0 on the "
    "**line w·x + b = 0**, positive on the side the weight vector w points to. The activation bends the plane "
    "but keeps that line: a step neuron flips there, sigmoid crosses ½, tanh 0, relu starts to rise."
)
st.latex(nr.neuron_latex(neuron))
controls, pictures = st.columns([1, 3.2])
with controls:
    for field, label in (("w1", "w₁"), ("w2", "w₂")):
        key = nr.NEURON_WIDGETS[field]
        st.slider(label, -3.0, 3.0, step=0.1, key=key, on_change=nr.store, args=(K.NEURON, field, key))
    st.slider("b (bias)", -6.0, 6.0, step=0.5, key=K.B, on_change=nr.store, args=(K.NEURON, "b", K.B))
    st.selectbox(
        "Activation f",
        NEURON_ACTIVATIONS,
        key=K.ACTIVATION,
        on_change=nr.store,
        args=(K.NEURON, "activation", K.ACTIVATION),
    )
    if neuron["w1"] == 0 and neuron["w2"] == 0:
        st.caption("With w = 0 the sum is b everywhere: no line, one value.")
plane_fig, surface_fig = nr.neuron_figures(neuron)
with pictures:
    forget_sent(K.NEURON_PANEL)  # every run of this page is a full run: send every picture
    live_panel(
        [
            chart("plane", plane_fig, title="<b>Seen from above</b>: the output, the line, and w"),
            chart("surface", surface_fig, title="<b>As a surface</b> (drag to turn it)"),
        ],
        key=K.NEURON_PANEL,
        grid={"columns": "1fr 1fr"},
    )
st.caption(
    "w is perpendicular to the line; the line's distance from the origin is |b| / |w|. Doubling w and b keeps the "
    "line but makes sigmoid and tanh steeper: the size of the weights sets how sharp the decision is."
)

# ---- the perceptron ----------------------------------------------------------------------------

st.divider()
st.header("The perceptron learning rule")
st.markdown(
    "Rosenblatt's perceptron (1958) is one step neuron, ŷ = step(w·x + b), that learns one point at a time: "
    "**w ← w + lr·(y − ŷ)·x** and **b ← b + lr·(y − ŷ)**. A point on its right side (ŷ = y) changes nothing; "
    "a point on the wrong side pulls the line towards it. Here lr = 1 and w, b start at 0 (from 0, the learning "
    "rate only scales w and b: the line and the step count are the same for every rate)."
)
data_col, seed_col, new_col, _ = st.columns([2.2, 1.2, 1, 2], vertical_alignment="bottom")
data_col.segmented_control(
    "Data",
    tuple(PERCEPTRON_DATA),
    key=K.PERCEPTRON_DATA,
    format_func=nr.PERCEPTRON_LABELS.get,
    on_change=nr.perceptron_changed,
    args=("data", K.PERCEPTRON_DATA),
)
if st.session_state.get(K.PERCEPTRON_DATA) is None:  # a segmented control can be emptied by a click
    st.session_state[K.PERCEPTRON_DATA] = perceptron["data"]
seed_col.number_input(
    "Data seed",
    0,
    MAX_SEED,
    step=1,
    key=K.PERCEPTRON_SEED,
    on_change=nr.perceptron_changed,
    args=("seed", K.PERCEPTRON_SEED),
)
new_col.button("New data", on_click=nr.new_perceptron_data, width="stretch")
points, run = nr.perceptron_run(perceptron["data"], int(perceptron["seed"]))
kind, text = nr.perceptron_summary(run)
getattr(st, kind)(text)
epoch = st.slider(
    "Show the line after epoch", 0, run.epochs_run, value=run.epochs_run, key=K.PERCEPTRON_EPOCH, help="0 is the start"
)
picture, errors = nr.perceptron_figures(points, run, epoch)
forget_sent(K.PERCEPTRON_PANEL)
live_panel(
    [
        chart(
            "line",
            picture,
            title=f"<b>After epoch {epoch}</b>: the line, the classes it gives, the points on the wrong side (red)",
        ),
        chart(
            "errors", errors, title="<b>Updates in each epoch</b> (bars) and <b>points on the wrong side</b> after it"
        ),
    ],
    key=K.PERCEPTRON_PANEL,
    grid={"columns": "1.1fr 1fr"},
)
if perceptron["data"] == "xor":
    why, action = st.columns([2, 1], vertical_alignment="center")
    why.markdown(
        "**Why it cannot work.** Class 1 sits in two opposite quadrants, (+, +) and (−, −), class 0 in the other "
        "two. Take one point from each quadrant, symmetric: ±(a, a) and ±(a, −a). A line with z = w·x + b > 0 on "
        "both class-1 points has z(a, a) + z(−a, −a) = 2b > 0; with z ≤ 0 on both class-0 points, "
        "z(a, −a) + z(−a, a) = 2b ≤ 0. Both cannot hold: **no line separates XOR**, so the rule never runs out of "
        "mistakes. A hidden layer can bend the boundary."
    )
    if action.button("Open the Playground on XOR with one hidden layer", type="primary", icon="🧠"):
        nr.open_playground_on_xor()
        st.switch_page("pages/playground.py")
    action.caption(
        "XOR data, one hidden layer of 4 tanh neurons, otherwise the Playground's defaults. Press Play there."
    )

# ---- linear stays linear -------------------------------------------------------------------------

st.divider()
st.header("Linear stays linear")
st.markdown(
    "Stack layers without an activation (f linear) and the stack is still one neuron: x·W₁·W₂ + … is x times "
    "**one matrix**, the product of the layers' matrices (the biases add up to one bias the same way). Depth "
    "buys nothing. Put tanh between the layers, keep the very same weights, and the boundary bends."
)
act_col, layers_col, weights_col, _ = st.columns([1.5, 2, 1.3, 1.5], vertical_alignment="bottom")
act_col.segmented_control(
    "Activation between layers",
    ("linear", "tanh"),
    key=K.STACK_ACTIVATION,
    on_change=nr.store,
    args=(K.STACK, "activation", K.STACK_ACTIVATION),
)
if st.session_state.get(K.STACK_ACTIVATION) is None:
    st.session_state[K.STACK_ACTIVATION] = stack["activation"]
layers_col.slider(
    "Hidden layers of 3 neurons", 1, 3, key=K.STACK_LAYERS, on_change=nr.store, args=(K.STACK, "layers", K.STACK_LAYERS)
)
weights_col.button("New random weights", on_click=nr.new_stack_weights, width="stretch")
parts = nr.stack_parts(stack)
st.markdown("**The product of the weight matrices**, one matrix from x to the output")
st.latex(parts["latex"])
left, right = st.columns([1, 1])
with left:
    forget_sent(K.STACK_PANEL)
    live_panel(
        [chart("stack", parts["figure"], title="<b>The output over the plane</b>; black: where it is 0, the boundary")],
        key=K.STACK_PANEL,
    )
with right:
    if stack["activation"] == "linear":
        st.success(
            f"One layer does it all: {parts['one_layer']} gives the stack's output everywhere "
            f"(largest difference over the picture: {parts['gap']:.1e}). The boundary is a straight line."
        )
    else:
        st.warning(
            f"With tanh the product means nothing: the one layer {parts['one_layer']} is off by up "
            f"to {parts['gap']:.2f} over the picture, and the boundary bends."
        )
    st.markdown(
        "Why: with f linear, layer after layer computes (x·W₁ + b₁)·W₂ + b₂ = x·(W₁W₂) + (b₁W₂ + b₂), and so on "
        "for every layer. A non-linear f between the layers stops the matrices from meeting: that is what lets "
        "depth draw curves. Without it, the network is no more than the perceptron above."
    )


# ---- the gallery ---------------------------------------------------------------------------------

st.divider()
st.header("Activation gallery")
st.markdown(
    "Every activation the engine offers (blue) and its derivative (orange, dashed), which backpropagation "
    "multiplies into every gradient: where it is 0, learning stops."
)
st.plotly_chart(nr.gallery_figure(), config={"displaylogo": False}, key=K.GALLERY_CHART)
with st.expander("The formulas"):
    st.table(
        {
            "activation": list(nr.FORMULAS),
            "f(z)": [f for f, _ in nr.FORMULAS.values()],
            "f′(z)": [d for _, d in nr.FORMULAS.values()],
        }
    )
