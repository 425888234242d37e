"""The slow step on the Playground: a "Slow step" button beside the run bar, and under
the live pictures a panel that walks the next mini-batch through its four stages
(forward, loss, backward, update), one "Next stage" at a time. Streamlit UI; the numbers
and figures come from ui/playground/slow_step.py.

The slow step lives on the run (``PlaygroundRun.slow_step``): a Reset or a new run ends
it. Anything that changes the network or its batches before the update (Step, Play, an
edited weight, the batch size, a drawn point) ends it too, and the panel says why. While
Play is on the button is disabled; switching Play on during a slow step ends it.
"""

import numpy as np
import streamlit as st

from ui.live.loop import training_lock
from ui.live.markdown import plain
from ui.playground import slow_step as slow
from ui.playground.figures import BIAS_ROW, class_names
from ui.playground.session import current
from ui.state import PlaygroundKeys as K

NUMBER = st.column_config.NumberColumn(format="%.4f")
SMALL = st.column_config.NumberColumn(format="%+.6f")
GRADIENT = st.column_config.NumberColumn(format="%+.4g")
PLOTLY_CONFIG = {"displaylogo": False}


def _note(text: str) -> None:
    st.session_state[K.SLOW_NOTE] = text


def _start() -> None:
    run = current()
    if run is None or run.diverged is not None:
        return
    with training_lock():  # next_batch may plan the epoch: never beside a live update
        run.slow_step = slow.begin(run)
    st.session_state.pop(K.SLOW_NOTE, None)


def _next() -> None:
    """The next stage; from stage 3, the update (the trainer's own train_batch)."""
    run = current()
    step = run.slow_step if run is not None else None
    if step is None:
        return
    with training_lock():
        reason = slow.why_stale(run, step)
        if reason is not None:
            run.slow_step = None
            if reason:
                _note(f"The slow step ended before its update: {reason}.")
        elif step.stage < 3:
            step.stage += 1
        elif step.stage == 3:
            slow.apply_update(run, step)


def _close() -> None:
    run = current()
    if run is not None:
        run.slow_step = None


def _settle(run) -> None:
    """End a slow step that no longer describes the run (Play is on, or the network or its
    batches changed before the update), and keep the sentence that says why for the panel.
    Called by the button and again by the panel: a live update may train in between."""
    step = run.slow_step if run is not None else None
    if step is None:
        return
    if st.session_state.get(K.LOOP.playing):
        run.slow_step = None
        if step.update is None:
            _note("Play ended the slow step before its update (its batch is trained with the rest of the epoch).")
        return
    with training_lock():  # the checks read the network: never while a live update trains it
        reason = slow.why_stale(run, step)
    if reason is not None:
        run.slow_step = None
        if reason:
            _note(f"The slow step ended before its update: {reason}.")


def slow_step_button(run, container) -> None:
    """The "Slow step" button and where the epoch stands, on one row of ``container``."""
    _settle(run)
    playing = bool(st.session_state.get(K.LOOP.playing))
    row = container.container(horizontal=True, vertical_alignment="center")
    under_way = run is not None and run.slow_step is not None
    row.button(
        "Slow step",
        key=K.SLOW_STEP,
        on_click=_start,
        icon=":material/slow_motion_video:",
        disabled=run is None or playing or under_way or run.diverged is not None,
        help="Train the next mini-batch in four stages, one at a time: forward, loss, backward, update",
    )
    if run is None:
        return
    if playing:
        row.caption("Pause to take one step slowly.")
    elif run.diverged is not None:
        row.caption("The run diverged: press Reset to step again.")
    elif under_way:
        row.caption(f"Slow step under way: {slow.position_text(run.slow_step)} (below the pictures).")
    else:
        done, count = run.trainer.batch_position
        epoch = run.trainer.epoch + 1
        if done:
            row.caption(f"Epoch {epoch:,} under way: batch {done} of {count} trained. Step finishes the epoch.")
        else:
            row.caption(f"Next: batch 1 of {count} of epoch {epoch:,}.")


def slow_step_panel(run) -> None:
    """The slow step under way, under the live pictures (nothing when there is none)."""
    _settle(run)
    note = st.session_state.pop(K.SLOW_NOTE, None)
    if note:
        st.info(note, icon=":material/slow_motion_video:")
    step = run.slow_step
    if step is None:
        return
    with st.container(border=True, key=K.SLOW_PANEL):
        _header(step)
        with training_lock():
            if step.stage == 4:
                _update(run, step)
            else:
                {1: _forward, 2: _loss, 3: _backward}[step.stage](run, step)
        _buttons(step)


def _header(step) -> None:
    st.markdown(f"**Slow step: {slow.position_text(step)}** · stage {step.stage} of 4")
    marks = [
        f"**{name}**" if i == step.stage else (f"{name} ✓" if i < step.stage else name)
        for i, name in enumerate(slow.STAGES, start=1)
    ]
    st.caption(" → ".join(marks))
    st.subheader(slow.STAGE_TITLES[step.stage], anchor=False)


def _buttons(step) -> None:
    row = st.container(horizontal=True)
    if step.stage < 4:
        row.button(
            "Next stage",
            key=K.SLOW_NEXT,
            on_click=_next,
            type="primary",
            icon=":material/skip_next:",
            help="Apply the update: the weights change" if step.stage == 3 else "Show the next stage",
        )
        row.button("Cancel", key=K.SLOW_CLOSE, on_click=_close, help="End the slow step; nothing is trained")
    else:
        diverged = step.update.report.diverged
        row.button(
            "Next batch, slowly",
            key=K.SLOW_AGAIN,
            on_click=_start,
            type="primary",
            icon=":material/slow_motion_video:",
            disabled=diverged,
        )
        row.button("Close", key=K.SLOW_CLOSE, on_click=_close)


def _forward(run, step) -> None:
    forward = slow.forward_stage(run, step.batch)
    b = len(forward.inputs)
    figure = slow.forward_figure(run, forward)
    left, right = st.columns([1, 1.4]) if figure is not None else (None, st.container())
    if figure is not None:
        left.plotly_chart(figure, key=K.slow_chart("output"), config=PLOTLY_CONFIG)
        where = f"The {b} points of this batch, ringed and numbered on the output picture, go"
    else:
        where = f"The {b} points of this batch go"
    lines = [f"{where} through the network as it is now: ŷ is its output for each."]
    if run.n_classes == 2 and forward.targets.shape[1] == 1:
        low, high = run.value_range()
        low, high = (f"{v:g}".replace("-", "−") for v in (low, high))
        first, second = (plain(name) for name in class_names(run))  # a CSV's labels: as typed
        lines.append(f"The target y is the label as the loss sees it: {first} → {low}, {second} → {high}.")
    elif run.n_classes:
        low, high = (f"{v:g}".replace("-", "−") for v in run.value_range())
        lines.append(f"The target of each point has one entry per class: {high} for its class, {low} for the others.")
    if forward.predicted is not None:
        right_count = int(np.sum(forward.predicted == forward.labels))
        lines.append(f"The network predicts the right class for {right_count} of the {b}.")
    if run.user_data is not None:
        lines.append("The inputs are your file's columns, standardized (as the network takes them).")
    right.markdown(" ".join(lines))
    rows = slow.forward_rows(run, forward)
    config = {name: NUMBER for name in rows[0] if name != "point" and isinstance(rows[0][name], float)}
    right.dataframe(rows, hide_index=True, column_config=config)


def _loss(run, step) -> None:
    forward = slow.forward_stage(run, step.batch)
    loss = slow.loss_stage(run, step.batch)
    b = len(loss.shares)
    left, right = st.columns([1.4, 1])
    left.plotly_chart(slow.shares_figure(run, forward, loss), key=K.slow_chart("shares"), config=PLOTLY_CONFIG)
    worst = int(np.argmax(loss.point_losses))
    lines = [
        f"The loss of one point: {slow.POINT_LOSS[run.trainer.loss.name]}.",
        f"The batch loss L is the mean over its {b} points: L = (1/{b})·Σ loss = **{loss.batch_loss:.4f}**.",
        f"Each bar is one point's loss / {b}, so the bars add up to L"
        f"{' (a bar has its point’s class colour)' if run.n_classes else ''}. Point {worst + 1} adds the most:"
        f" {loss.shares[worst]:.4f} (its loss {loss.point_losses[worst]:.4f}).",
    ]
    trainer = run.trainer
    if trainer.l1 or trainer.l2:
        kind, rate = ("L2", trainer.l2) if trainer.l2 else ("L1", trainer.l1)
        lines.append(
            f"With {kind} (rate {rate:g}) training lowers L plus the penalty on the weights, now {loss.penalty:.4g}:"
            " the gradient of the next stage includes the penalty's."
        )
    right.markdown("\n\n".join(lines))


def _backward(run, step) -> None:
    backward = slow.backward_stage(run, step.batch)
    st.plotly_chart(slow.backward_figure(run, step, backward), key=K.slow_chart("gradient"), config=PLOTLY_CONFIG)
    lines = [
        "Backpropagation gives, for every weight, ∂L/∂W: how fast the batch loss L rises as that weight"
        f" grows (the last row, {BIAS_ROW}, holds ∂L/∂b for the biases). The update moves each weight against it."
        " Hover over a cell for its value; the largest in size:",
    ]
    trainer = run.trainer
    if trainer.l2:
        lines.insert(1, f"It includes L2's {trainer.l2:g}·w on every weight (not on the biases).")
    if trainer.l1:
        lines.insert(1, f"It includes L1's {trainer.l1:g}·sign(w) on every weight (not on the biases).")
    st.markdown(" ".join(lines))
    st.dataframe(slow.largest_gradients(run, backward), hide_index=True, column_config={"∂L/∂w": GRADIENT}, width=480)


def _update(run, step) -> None:
    update = step.update
    report = update.report
    if report.diverged:
        st.error(
            f"This step diverged, so it was undone: the weights are as before. {run.diverged or ''}",
            icon=":material/warning:",
        )
    before, after = slow.update_figures(run, update)
    st.markdown("**W before the step, and beside it its change ΔW** (hover over a cell for its value)")
    st.plotly_chart(before, key=K.slow_chart("before"), config=PLOTLY_CONFIG)
    st.markdown("**W after the step**: W + ΔW")
    st.plotly_chart(after, key=K.slow_chart("after"), config=PLOTLY_CONFIG)
    st.markdown(slow.update_rule(update))
    if not report.diverged:
        done = (
            f" That was the epoch's last batch: epoch {step.epoch:,} is complete and the loss curve has its point."
            if report.epochs_run
            else " Step and Play go on from the next batch."
        )
        st.markdown(
            f"Step {update.step:,} done: the network is now where one step of training takes it, bit for bit.{done}"
        )
    st.caption("The weights that changed most:")
    st.dataframe(
        slow.biggest_changes(run, update),
        hide_index=True,
        column_config={"before": SMALL, "ΔW": SMALL, "after": SMALL},
    )
