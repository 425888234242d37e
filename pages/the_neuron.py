"""The neuron page: one neuron with two inputs, the perceptron rule on separable data and
on XOR, why linear layers stack into one, every activation with its derivative, and what the
quadratic loss and cross-entropy punish.
Layout only: the logic lives in ui/neuron/."""

import streamlit as st

from ui.live.places import steady_place
from ui.neuron import controls, figures, session, text
from ui.neuron.run import build_stack, loss_shapes
from ui.neuron.session import LINK, panel
from ui.state import NeuronKeys as K

config = LINK.begin(settle=session.settle)  # the perceptron's run agrees with its settings
hidden, presenting = LINK.hidden(), LINK.presenting()
lesson = session.perceptron()

LINK.heading(text.TITLE, text.CAPTION)
LINK.notice()

st.header(text.NEURON_HEADER)
if not presenting:
    st.markdown(text.NEURON_INTRO)
st.latex(text.neuron_latex(config))
shown = [name for name in controls.NEURON_FIELDS if name not in hidden]
left, pictures = st.columns([1, 3.2]) if shown else (st.container(), st.container())
with left:
    controls.neuron_controls(hidden)
    if config["w1"] == 0 and config["w2"] == 0:
        st.caption(text.NO_LINE)
with pictures:
    session.neuron_panel(config, tall=presenting)
if not presenting:
    st.caption(text.NEURON_AFTER)

st.divider()
st.header(text.PERCEPTRON_HEADER)
if not presenting:
    st.markdown(text.PERCEPTRON_INTRO)
controls.perceptron_controls(hidden)
kind, summary = text.perceptron_summary(lesson)
(st.success if kind == "success" else st.warning)(summary)
step = lesson.shown_step(config) if config["view"] == "point" else None
with steady_place():  # the step slider comes and goes: the panels after it keep their places
    controls.rule_controls(lesson, step, hidden)
charts = figures.perceptron_charts(lesson, lesson.shown_epoch(config), step)
panel(charts, K.PERCEPTRON_PANEL, figures.PERCEPTRON_GRID)
with steady_place():
    if step is not None:
        kind, told = text.step_text(lesson, step)
        (st.warning if kind == "warning" else st.info)(told)
    if config["data"] == "xor":
        if not presenting:
            st.markdown(text.XOR_WHY)
        controls.xor_button()

st.divider()
st.header(text.STACK_HEADER)
if not presenting:
    st.markdown(text.STACK_INTRO)
controls.stack_controls(hidden)
stack = build_stack(config)
st.markdown(text.PRODUCT)
st.latex(text.product_latex(stack))
left, right = st.columns([1, 1])
with left:
    panel(figures.stack_charts(stack), K.STACK_PANEL)
with right:
    kind, verdict = text.stack_verdict(config["stack_activation"], stack)
    (st.success if kind == "success" else st.warning)(verdict)
    if not presenting:
        st.markdown(text.STACK_WHY)

st.divider()
st.header(text.GALLERY_HEADER)
if not presenting:
    st.markdown(text.GALLERY_INTRO)
st.plotly_chart(figures.gallery_figure(), config={"displayModeBar": False}, key=K.GALLERY_CHART)
if not presenting:
    with st.expander(text.FORMULAS_LABEL):
        st.table(text.formulas_table())

st.divider()
st.header(text.LOSS_HEADER)
if not presenting:
    st.markdown(text.LOSS_INTRO)
controls.loss_controls(hidden)
shapes = loss_shapes(config)
st.plotly_chart(figures.loss_figure(shapes), config={"displayModeBar": False}, key=K.LOSS_CHART)
kind, numbers = text.loss_numbers(shapes)
(st.warning if kind == "warning" else st.info)(numbers)
controls.loss_button(presenting)
if not presenting:
    LINK.share_panel(config)
