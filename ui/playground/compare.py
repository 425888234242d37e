"""Compare (what ``compare=`` in the URL asks for): run B trains beside the Playground's
run A, in lockstep, from the same start. Pure: no Streamlit.

Run B is run A with a few settings changed, written as text the URL keeps:
``learning_rate:0.3`` or ``activation:relu,hidden:8;8`` (``setting:value`` pairs between
commas; a list of hidden layers has its sizes between semicolons, ``none`` for no hidden
layer; values as the URL writes that setting). B shares A's data, split and mini-batch
order (``Trainer.twin``); its initial weights are a copy of A's when the architecture is
the same, else drawn from the same weights seed. Each live frame and each Step trains both
the same number of epochs; a run that diverges stops there, the other goes on.
"""

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np

from engine import Network
from ui.charts import loss_figure, weights_figure
from ui.live.cadence import Cadence, FrameWork
from ui.live.link import format_value, parse_value, quote
from ui.live.panel import Frame, chart, note
from ui.live.stats import Stat, stats_line
from ui.playground.replay import mark_epoch, replay_compare_stats, replay_epoch, replay_network, replay_network_b
from ui.playground.run import (
    PlaygroundRun,
    apply_live_settings,
    epochs_per_frame,
    optimizer_settings,
    penalties,
    record_snapshot,
    resolve_loss_and_output,
    train,
    weight_tables,
    why_not,
)

# The settings run B may change (data, features and seeds are A's: the same start).
COMPARABLE = (
    "hidden",
    "activation",
    "initializer",
    "loss",
    "output_activation",
    "optimizer",
    "learning_rate",
    "momentum",
    "nesterov",
    "beta1",
    "beta2",
    "rho",
    "batch_size",
    "regularization",
    "regularization_rate",
)
MAX_COMPARE_CHARS = 200
LAYER_SEPARATOR = ";"  # between the sizes of hidden layers: the comma separates pairs
# While playing, the loss and the weight difference are rebuilt every few frames (see run.EVERY).
EVERY = {"output": 1, "output_b": 1, "loss": 10, "difference": 4}
BUSY_EVERY = {"loss": 20, "difference": 8}  # on a busy server (ui/live/cadence.py)


def _schema():
    from ui.playground.config import SCHEMA  # the schema's compare field checks with this module

    return SCHEMA


# ---- the compare text ------------------------------------------------------------------


def parse_compare(text: str) -> dict[str, Any]:
    """``{setting: value}`` that ``text`` gives run B, in ``COMPARABLE`` order; {} for an
    empty text. ValueError with a sentence for the user when a pair cannot be used (an
    unknown setting, a value that setting does not take, a number outside its limits)."""
    text = str(text).strip()
    if len(text) > MAX_COMPARE_CHARS:
        raise ValueError(f"longer than {MAX_COMPARE_CHARS} characters")
    schema, pairs = _schema(), {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, colon, raw = (s.strip() for s in part.partition(":"))
        name = name.lower()
        if not colon and part.isdigit():
            raise ValueError(f"{quote(part)} is not setting:value; hidden layers take ; between them: hidden:8;8")
        if not colon or not raw:
            raise ValueError(f"{quote(part)} is not setting:value, e.g. learning_rate:0.3")
        if name not in COMPARABLE:
            raise ValueError(f"run B cannot change {quote(name)}; it can change {', '.join(COMPARABLE)}")
        if name in pairs:
            raise ValueError(f"{quote(name)} is given twice")
        if schema[name].kind == "layers":
            if "," in raw:
                raise ValueError(f"write hidden layers with {LAYER_SEPARATOR} between them, e.g. hidden:8;8")
            raw = raw.replace(LAYER_SEPARATOR, ",")
        try:
            value, changed = parse_value(schema, name, raw)
        except ValueError as reason:
            raise ValueError(f"{quote(name)}: {reason}") from None
        if changed:  # a value the setting would only take changed (clamped, rounded): refused
            raise ValueError(f"{quote(name)}: {changed.split(', used')[0]}")
        pairs[name] = value
    return {name: pairs[name] for name in COMPARABLE if name in pairs}


def format_compare(pairs: dict[str, Any]) -> str:
    """The text of ``pairs`` as the URL keeps it (the inverse of ``parse_compare``)."""
    schema = _schema()
    parts = []
    for name in COMPARABLE:
        if name in pairs:
            value = format_value(schema, name, pairs[name])
            parts.append(f"{name}:{value.replace(',', LAYER_SEPARATOR)}")
    return ",".join(parts)


def normal_compare(text: str) -> str:
    """``text`` in its lasting form (the schema field's check): settings in a fixed order,
    values as the URL writes them; ValueError with a sentence when it cannot be used."""
    return format_compare(parse_compare(text))


def config_b(config_a: dict, pairs: dict[str, Any]) -> dict:
    """Run B's configuration: A's with ``pairs`` (and no compare of its own)."""
    return {**config_a, **pairs, "compare": ""}


def value_text(name: str, value: Any) -> str:
    """A setting's value in words: hidden layers ``8, 8`` (or none), on/off, numbers as the URL."""
    kind = _schema()[name].kind
    if kind == "layers":
        return ", ".join(str(n) for n in value) if value else "none"
    if kind == "bool":
        return "on" if value else "off"
    return format_value(_schema(), name, value)


def describe(config: dict, names) -> str:
    """The settings ``names`` of ``config`` in words: ``learning rate 0.3, activation relu``."""
    schema = _schema()
    words = [f"{schema[name].label.lower()} {value_text(name, config[name])}" for name in names]
    return ", ".join(words) or "the same settings"


# ---- run B ------------------------------------------------------------------------------


@dataclass(slots=True)
class CompareRun:
    """Run B beside a Playground run (``PlaygroundRun.compare``): the ``pairs`` it changes,
    and either ``run`` (B, trained in lockstep with A) or ``problem`` (why B cannot train).
    ``cadence``: the compare panel's slow charts while playing."""

    pairs: dict
    run: PlaygroundRun | None = None
    problem: str | None = None
    cadence: Cadence = field(default_factory=lambda: Cadence(dict(EVERY), dict(BUSY_EVERY)))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.pairs)


def same_architecture(a: Network, b: Network) -> bool:
    """Layer sizes, activations and initializer alike: weight for weight comparable."""
    return (
        a.sizes == b.sizes
        and a.hidden_activation_names == b.hidden_activation_names
        and a.output_activation_name == b.output_activation_name
    )


def build_b(run_a: PlaygroundRun) -> CompareRun | None:
    """Run B for run A's ``compare`` text (None when it is empty), starting as A starts:
    A's data, split and batch order; A's initial weights (a copy) when the network is the
    same, else B's own network drawn from the same weights seed."""
    text = run_a.config.get("compare") or ""
    if not text:
        return None
    try:
        pairs = parse_compare(text)
    except ValueError as error:
        return CompareRun({}, problem=str(error))
    config = config_b(run_a.config, pairs)
    problem = run_a.dataset.problem
    try:
        loss, output, n_out = resolve_loss_and_output(
            problem, run_a.n_classes, config["loss"], config["output_activation"]
        )
        reason = why_not(problem, loss, output)
        if reason:
            raise ValueError(reason)
        a = run_a.network
        sizes = (a.sizes[0], *config["hidden"], n_out)
        network = Network(sizes, config["activation"], output, config["initializer"], seed=config["init_seed"])
        if same_architecture(a, network) and config["initializer"] == run_a.config["initializer"]:
            network = a.copy()  # the very same start (imported weights too)
        l1, l2 = penalties(config)
        trainer = run_a.trainer.twin(
            network,
            loss=loss,
            optimizer=config["optimizer"],
            learning_rate=config["learning_rate"],
            batch_size=config["batch_size"],
            l1=l1,
            l2=l2,
            optimizer_settings=optimizer_settings(config),
        )
    except ValueError as error:
        return CompareRun(pairs, problem=str(error))
    run_b = PlaygroundRun(
        config,
        run_a.dataset,
        run_a.X_raw,
        run_a.feature_names,
        trainer,
        loss,
        output,
        run_a.grid,
        run_a.user_data,
        drawn_X=run_a.drawn_X.copy(),
        drawn_y=run_a.drawn_y.copy(),
    )
    record_snapshot(run_b)  # its epoch 0, as run A's: replay shows both from the start
    return CompareRun(pairs, run_b)


def run_b(run: PlaygroundRun) -> PlaygroundRun | None:
    """Run B when the run compares and B could be built, else None."""
    compare = run.compare
    return compare.run if compare is not None else None


def follow_live_settings(run: PlaygroundRun) -> None:
    """After A's live settings changed (learning rate, optimizer, ...): B takes them too,
    except the ones B changes."""
    b = run_b(run)
    if b is not None:
        apply_live_settings(b, config_b(run.config, run.compare.pairs))


# ---- lockstep ---------------------------------------------------------------------------


def train_both(run: PlaygroundRun, epochs: int, budget: float | None = None) -> None:
    """Train A and B the same number of epochs: A up to ``epochs`` within the ``budget``
    (seconds), then B exactly as many as A ran, whatever it takes (the slower sets the
    pace: a frame trains for about twice the budget, as two runs cost twice one). A run
    that diverged stays where it stopped; the other trains alone, within the budget."""
    b = run_b(run)
    b_on = b is not None and b.diverged is None
    if run.diverged is None:
        report = train(run, epochs, budget)
        if b_on and report.epochs_run:
            train(b, report.epochs_run)
    elif b_on:
        train(b, epochs, budget)


def stopped(run: PlaygroundRun) -> bool:
    """Nothing can train: A diverged and B (if any) too."""
    b = run_b(run)
    return run.diverged is not None and (b is None or b.diverged is not None)


def advance_both(run: PlaygroundRun, work: FrameWork) -> bool:
    """One live frame at the configured speed (``work``: the frame's time on screen and
    its training budget); True when Play must stop (both diverged)."""
    if not stopped(run):
        train_both(run, epochs_per_frame(run.config["speed"], work.seconds), work.budget)
    return stopped(run)


def messages(run: PlaygroundRun) -> list[str]:
    """What went wrong, run by run (a diverged run's message, and that the other goes on)."""
    b = run_b(run)
    out = []
    if run.diverged:
        goes_on = " Run B goes on." if b is not None and b.diverged is None else ""
        out.append(f"Run A: {run.diverged}{goes_on}")
    if b is not None and b.diverged:
        goes_on = " Run A goes on." if run.diverged is None else ""
        out.append(f"Run B: {b.diverged}{goes_on}")
    return out


# ---- the pictures ----------------------------------------------------------------------

GRID = {"columns": "1fr 1fr", "areas": "'stats stats' 'output output_b' 'loss difference'"}
GRID_WITHOUT_PLANE = {"columns": "1fr 1fr", "areas": "'stats stats' 'loss difference'"}


def names(run: PlaygroundRun) -> tuple[str, str]:
    """(A's name, B's name): each run's values of the settings B changes, e.g.
    ("A: learning rate 0.03", "B: learning rate 0.3")."""
    b, changed = run_b(run), run.compare.names
    return f"A: {describe(run.config, changed)}", f"B: {describe(b.config, changed)}"


def compare_loss_figure(history_a: dict, history_b: dict, name_a: str, name_b: str, *, log_scale: bool) -> dict:
    """Both runs' training and test loss per epoch on one chart (history columns as
    ``loss_figure`` takes them): A solid, B dashed, the legend's two groups titled by
    ``name_a`` and ``name_b`` (what differs)."""
    columns = ("epoch", "train_loss", "test_loss")
    # Taller than one run's: the two legend groups, titled by what differs, sit above the plot.
    figure = loss_figure({k: history_a[k] for k in columns}, log_scale=log_scale, height=360)
    figure_b = loss_figure({k: history_b[k] for k in columns}, log_scale=log_scale, height=360)
    for group, name, traces, dash in (("a", name_a, figure["data"], "solid"), ("b", name_b, figure_b["data"], "dash")):
        for trace in traces:
            trace["legendgroup"] = group
            trace["legendgrouptitle"] = {"text": name}
            trace["line"]["dash"] = dash
            trace["hovertemplate"] = f"{group.upper()}: epoch %{{x:.0f}}<br>{trace['name']} %{{y:.4f}}<extra></extra>"
    figure["data"] = [*figure["data"], *figure_b["data"]]
    figure["layout"]["margin"]["t"] = 48  # room for the legend's group titles
    return figure


_BLOCK = re.compile(r"<b>W(\d+)</b>")
_CELL = re.compile(r"^W(\d+)\[")


def difference_figure(tables_a, tables_b, row_names, col_names, *, hover: bool) -> dict:
    """W of A minus W of B, layer by layer (tables as ``weight_tables`` gives them: the
    bias as the last row): ``weights_figure`` of the differences, its block titles, hover
    texts and colour bar naming them so (all 0: the runs' weights are the same)."""
    diff = [ta - tb for ta, tb in zip(tables_a, tables_b)]
    figure = weights_figure(diff, row_names, col_names, hover=hover)
    layout = figure["layout"]
    for note_ in layout["annotations"]:
        note_["text"] = _BLOCK.sub(r"<b>W\1ᴬ − W\1ᴮ</b>", note_["text"])
    layout["coloraxis"]["colorbar"]["title"]["text"] = "wᴬ − wᴮ"
    for trace in figure["data"]:
        if "text" in trace:
            trace["text"] = [[_CELL.sub(r"W\1ᴬ − W\1ᴮ [", t) for t in row] for row in trace["text"]]
    return figure


def compare_figures(
    run: PlaygroundRun, which, *, hover: bool, views: tuple[Network, Network] | None = None
) -> dict[str, dict | None]:
    """The compare panel's figures named in ``which``: "output" (A's), "output_b", "loss"
    (both), "difference" (None when the architectures differ). ``views``: A's and B's
    networks as they were at the replayed epoch (``run.replay``), drawn instead of the
    live ones; the loss chart marks that epoch."""
    from ui.playground.figures import BIAS_ROW, node_labels, playground_figures

    b = run_b(run)
    view_a, view_b = views or (None, None)
    figures: dict[str, dict | None] = {}
    if "output" in which:
        figures["output"] = playground_figures(run, ("output",), hover=hover, view=view_a)["output"]
    if "output_b" in which:
        figures["output_b"] = playground_figures(b, ("output",), hover=hover, view=view_b)["output"]
    if "loss" in which:
        name_a, name_b = names(run)
        figures["loss"] = compare_loss_figure(
            run.trainer.history.as_columns(),
            b.trainer.history.as_columns(),
            name_a,
            name_b,
            log_scale=run.config["log_scale"],
        )
        if views is not None:
            mark_epoch(figures["loss"], run.replay)
    if "difference" in which:
        figures["difference"] = None
        net_a, net_b = views or (run.network, b.network)
        if same_architecture(net_a, net_b):
            labels = node_labels(run)
            rows = [[*row, BIAS_ROW] for row in labels[:-1]]
            tables_a, tables_b = weight_tables(net_a), weight_tables(net_b)
            figures["difference"] = difference_figure(tables_a, tables_b, rows, labels[1:], hover=hover)
    return figures


def _stats(run: PlaygroundRun, letter: str, prefix: str) -> list[Stat]:
    h = run.trainer.history
    stats = [
        Stat(f"{letter} · Epoch", f"{run.trainer.epoch:,}", f"{prefix}epoch"),
        Stat(f"{letter} · Training loss", f"{h.train_loss[-1]:.4f}", f"{prefix}train-loss"),
        Stat(f"{letter} · Test loss", f"{h.test_loss[-1]:.4f}", f"{prefix}test-loss"),
    ]
    if h.test_accuracy:  # the training accuracy is left out: both runs' stats fit one line
        stats.append(Stat(f"{letter} · Test accuracy", f"{h.test_accuracy[-1]:.1%}", f"{prefix}test-accuracy"))
    return stats


def compare_stats(run: PlaygroundRun) -> str:
    """Both runs' epoch, losses and accuracies: A's ids ``stat-...``, B's ``stat-b-...``."""
    return stats_line([*_stats(run, "A", ""), *_stats(run_b(run), "B", "b-")])


TITLES = {
    "loss": "<b>Loss</b> per epoch: run A solid, run B dashed (the legend names what differs)",
    "difference": "<b>W of A − W of B</b>: each weight of run A minus the same weight of run B (0: equal)",
}
OTHER_ARCHITECTURE = (
    "<p>Run B's network has another shape or other activations than run A's, so there is "
    "no weight-by-weight difference to show.</p>"
)


def panel_grid(run: PlaygroundRun) -> dict:
    return dict(GRID if run.grid is not None else GRID_WITHOUT_PLANE)


def frame(run: PlaygroundRun, *, playing: bool) -> Frame:
    """The compare panel's frame: both outputs side by side (titled by what differs), both
    losses on one chart, the weight difference, and both runs' stats."""
    compare = run.compare
    view_a = None if playing else replay_network(run)  # paused on an earlier epoch: both runs there
    views = None if view_a is None else (view_a, replay_network_b(run))
    figures = compare.cadence.figures_now(
        lambda due: compare_figures(run, due, hover=not playing, views=views), playing=playing
    )
    name_a, name_b = (escape(name) for name in names(run))
    titles = {
        "output": f"<b>Run {name_a[:1]}</b>{name_a[1:]}",
        "output_b": f"<b>Run {name_b[:1]}</b>{name_b[1:]}",
        **TITLES,
    }
    cells = [chart(name, figures[name], title=titles[name]) for name in EVERY if figures.get(name) is not None]
    if figures.get("difference") is None:
        cells.append(note("difference", OTHER_ARCHITECTURE, title="<b>W of A − W of B</b>"))
    if views is not None:
        return Frame(cells, replay_compare_stats(run, *views, replay_epoch(run)))
    return Frame(cells, compare_stats(run))


def weights_equal(run: PlaygroundRun) -> bool:
    """A's and B's weights are the same, bit for bit (same architecture only)."""
    b = run_b(run)
    return (
        b is not None
        and same_architecture(run.network, b.network)
        and np.array_equal(run.network.params, b.network.params)
    )
