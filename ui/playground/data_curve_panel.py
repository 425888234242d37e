"""The Playground's "More data" panel, folded under the pictures: a button that trains the
current setup afresh on 50 to 2,000 points and the curve of test loss against the number
of training points, with its numbers. Streamlit UI; the logic is ui/playground/data_curve.py."""

import numpy as np
import streamlit as st

from ui.charts.data_curve import data_curve_figure
from ui.live.loop import training_lock
from ui.live.markdown import plain
from ui.playground.data_curve import (
    DEFAULT_EPOCHS,
    EPOCH_CHOICES,
    SIZES,
    DataCurve,
    curve_sentence,
    data_curve_result,
    measure,
    points_text,
)
from ui.playground.run import PlaygroundRun
from ui.state import PlaygroundKeys as K

TITLE = "More data: test loss against the number of points"
BUTTON = "Measure the curve"
INTRO = (
    f"The same network, data, seeds and training settings, trained afresh on "
    f"{', '.join(points_text(n) for n in SIZES)} points (the training share as set; the rest test it), the same "
    "number of epochs at each size. The test loss measures what the network does on points it never trained on. "
    "With the same number of epochs, more points also means more updates (one per batch)."
)


def _progress():
    bar = st.progress(0.0, text="Training each size …")

    def advance(done: int, total: int, point) -> None:
        bar.progress(done / total, text=f"Trained {done} of {total}: {points_text(point.n_samples)} points")

    return bar, advance


def _figure(curve: DataCurve) -> dict:
    points = curve.points
    return data_curve_figure(
        np.array([p.n_train for p in points]),
        np.array([p.train_loss for p in points]),
        np.array([p.test_loss for p in points]),
        loss_name=f"{curve.loss.replace('_', ' ')} loss after {curve.epochs:,} epochs",
        diverged=np.array([p.diverged is not None for p in points]),
    )


def data_curve_panel(run: PlaygroundRun) -> None:
    """The folded panel: epochs at each size, the button, and the curve measured for this
    setup (the run keeps it: ``PlaygroundRun.data_curve``)."""
    panel = st.expander(TITLE, key=K.DATA_CURVE_PANEL, on_change="rerun")
    if not panel.open:  # sent only when unfolded (see ui/playground/panels.py)
        return
    with panel:
        st.markdown(INTRO)
        if len(run.drawn_X):
            drawn = len(run.drawn_X)
            st.caption(f"Points you drew by hand ({drawn}) are not part of it: each size is generated afresh.")
        left, right, _ = st.columns([1.3, 1.6, 3], vertical_alignment="bottom")
        epochs = left.selectbox(
            "Epochs at each size", EPOCH_CHOICES, index=EPOCH_CHOICES.index(DEFAULT_EPOCHS), key=K.DATA_CURVE_EPOCHS
        )
        pressed = right.button(BUTTON, key=K.DATA_CURVE_BUTTON, icon=":material/stacked_line_chart:", width="stretch")
        if pressed:
            bar, advance = _progress()
            try:
                run.data_curve = measure(run.config, int(epochs), guard=training_lock, progress=advance)
            except ValueError as reason:
                st.warning(plain(str(reason)), icon=":material/front_hand:")
                bar.empty()
            else:  # the page runs again, so that what stands above this panel (a lesson's task) sees the curve
                st.rerun()
        curve = data_curve_result(run)
        if curve is None:
            if run.data_curve is not None:
                st.caption("The settings changed since the curve was measured: press the button to measure it again.")
            return
        if curve.points:
            st.plotly_chart(_figure(curve), config={"displayModeBar": False}, key=K.DATA_CURVE_CHART)
        (st.warning if curve.cut_short else st.info)(curve_sentence(curve))
        st.caption(f"Measured in {curve.seconds:.1f} s.")
