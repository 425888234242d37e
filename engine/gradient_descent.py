"""Gradient descent, worked by hand: one weight, then a neuron's weight and bias.

The one-weight example: a neuron without bias predicts ŷ = w·x; on one example (x, t) the
loss is L(w) = ½(w·x − t)², its slope dL/dw = x·(w·x − t), and a step is
w ← w − lr·dL/dw. With the lecture's numbers (x = 2, t = 6, w = 5, lr = 0.1)::

    w = 5:  ŷ = 10,  L = 8,     dL/dw = 8,    new w = 5 − 0.1·8 = 4.2
    w = 4.2: ŷ = 8.4, L = 2.88, dL/dw = 4.8,  new w = 3.72 ...

The error w − t/x is multiplied by 1 − lr·x² at every step, so descent converges when
|1 − lr·x²| < 1, i.e. 0 < lr < 2/x² (0.5 here); at lr = 2/x² exactly the factor is −1 and w
jumps between the same two points for ever; above it every jump is longer: it diverges.

The two-parameter example: one neuron ŷ = f(w·x + b) on a small data set, whose loss is a
surface over the (w, b) plane; ``OptimizerRace`` walks the engine's optimizers
(``engine.optimizers``, the Playground's update rules) down it from one start, together.
"""

from dataclasses import dataclass, field

import numpy as np

from engine.optimizers import make_optimizer

# ---- one weight ---------------------------------------------------------------------------

EXAMPLE_X, EXAMPLE_TARGET, EXAMPLE_W0, EXAMPLE_LR = 2.0, 6.0, 5.0, 0.1


@dataclass(frozen=True)
class DescentStep:
    """One row of the worked example: the weight before the step, what it predicts, the
    loss and its slope there, and the weight after the step."""

    step: int  # 1 for the first step
    w: float
    prediction: float
    loss: float
    gradient: float
    new_w: float


def one_weight_loss(w, x: float = EXAMPLE_X, target: float = EXAMPLE_TARGET):
    """L(w) = ½(w·x − target)², elementwise over an array of weights."""
    return 0.5 * (np.asarray(w, dtype=float) * x - target) ** 2


def one_weight_gradient(w, x: float = EXAMPLE_X, target: float = EXAMPLE_TARGET):
    """dL/dw = x·(w·x − target), elementwise."""
    return x * (np.asarray(w, dtype=float) * x - target)


def descent_step(
    w: float, learning_rate: float, step: int = 1, x: float = EXAMPLE_X, target: float = EXAMPLE_TARGET
) -> DescentStep:
    """One step of gradient descent from weight ``w``, as a table row (a weight too big
    for a float gives inf, never an error)."""
    with np.errstate(over="ignore", invalid="ignore"):
        loss = float(one_weight_loss(w, x, target))
        gradient = float(one_weight_gradient(w, x, target))
    return DescentStep(step, w, w * x, loss, gradient, w - learning_rate * gradient)


def one_weight_steps(
    n_steps: int,
    learning_rate: float = EXAMPLE_LR,
    w0: float = EXAMPLE_W0,
    x: float = EXAMPLE_X,
    target: float = EXAMPLE_TARGET,
) -> list[DescentStep]:
    """The first ``n_steps`` rows of the worked example (5, 4.2, 3.72, ... with the
    defaults). Stops early, after the first row holding a number too big for a float."""
    rows, w = [], float(w0)
    for i in range(1, n_steps + 1):
        row = descent_step(w, learning_rate, i, x, target)
        rows.append(row)
        w = row.new_w
        if not np.all(np.isfinite([row.loss, row.gradient, w])):
            break
    return rows


def divergence_threshold(x: float = EXAMPLE_X) -> float:
    """The learning rate 2/x² above which descent on ½(w·x − t)² diverges (at it, it
    oscillates for ever); infinite for x = 0, where the loss does not depend on w."""
    return np.inf if x == 0 else 2.0 / (x * x)


def error_factor(learning_rate: float, x: float = EXAMPLE_X) -> float:
    """What every step multiplies the error w − t/x by: 1 − lr·x²."""
    return 1.0 - learning_rate * x * x


BEHAVIOURS = (
    "no progress",
    "converges from one side",
    "converges in one step",
    "converges, oscillating",
    "oscillates for ever",
    "diverges",
)


def behaviour(learning_rate: float, x: float = EXAMPLE_X) -> str:
    """Which of ``BEHAVIOURS`` descent shows at this rate (the boundaries 1/x² and 2/x²
    compared with a relative tolerance of 1e-9, so a slider's 0.5 counts as 0.5):

    - ``no progress``: lr = 0 (or x = 0): w never moves;
    - ``converges from one side``: 0 < lr < 1/x², w creeps towards t/x, slower the smaller lr;
    - ``converges in one step``: lr = 1/x², the first step lands on t/x;
    - ``converges, oscillating``: 1/x² < lr < 2/x², w jumps across t/x, closing in;
    - ``oscillates for ever``: lr = 2/x², w jumps between the same two points, the loss
      stays where it started: it neither converges nor diverges;
    - ``diverges``: lr > 2/x² (or lr < 0), every jump is longer than the last.
    """
    k = learning_rate * x * x  # 1 at the one-step rate, 2 at the threshold
    if k == 0:
        return "no progress"
    if np.isclose(k, 1.0, rtol=1e-9, atol=0):
        return "converges in one step"
    if np.isclose(k, 2.0, rtol=1e-9, atol=0):
        return "oscillates for ever"
    if 0 < k < 1:
        return "converges from one side"
    return "converges, oscillating" if 1 < k < 2 else "diverges"


# ---- two parameters: the loss surface of one neuron ------------------------------------------


@dataclass(frozen=True)
class NeuronSurface:
    """The loss of one neuron ŷ = f(w·x + b) on data ``x`` (n,), ``y`` (n,), as a function
    of (w, b): ``linear`` f with the squared error ½(ŷ − y)², or ``sigmoid`` f with binary
    cross-entropy (labels 0 and 1); the mean over the data either way, as the engine's
    losses. ``w_range`` and ``b_range`` are the part of the plane worth drawing."""

    name: str
    x: np.ndarray
    y: np.ndarray
    activation: str  # "linear" or "sigmoid"
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    start: tuple[float, float]  # where the race starts unless the user picks a point

    @property
    def loss_name(self) -> str:
        """The engine loss key this surface computes."""
        return "quadratic" if self.activation == "linear" else "binary_cross_entropy"

    def loss(self, w, b) -> np.ndarray:
        """Mean loss at weights ``w`` and biases ``b`` (arrays of one shape, or scalars);
        returns an array of that shape."""
        w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
        z = w[..., None] * self.x + b[..., None]  # (..., n)
        if self.activation == "linear":
            return 0.5 * np.mean((z - self.y) ** 2, axis=-1)
        return np.mean(np.logaddexp(0.0, z) - self.y * z, axis=-1)  # cross-entropy of sigmoid(z), stably

    def predict(self, w: float, b: float, x=None) -> np.ndarray:
        """The neuron's output ŷ = f(w·x + b) at the inputs ``x`` (the data's by default)."""
        z = w * (self.x if x is None else np.asarray(x, dtype=float)) + b
        return z if self.activation == "linear" else 0.5 + 0.5 * np.tanh(0.5 * z)  # sigmoid, stably

    def gradient(self, w: float, b: float) -> np.ndarray:
        """(dL/dw, dL/db) at one point: the mean of (ŷ − y)·x and of ŷ − y (for sigmoid with
        cross-entropy the same form holds, with ŷ = sigmoid(z))."""
        r = self.predict(w, b) - self.y
        return np.array([np.mean(r * self.x), np.mean(r)])

    def minimum(self) -> tuple[float, float]:
        """The (w, b) of the lowest loss: least squares in closed form for ``linear``;
        Newton's method (the loss is convex) for ``sigmoid``."""
        A = np.array([[np.mean(self.x * self.x), np.mean(self.x)], [np.mean(self.x), 1.0]])
        if self.activation == "linear":
            w, b = np.linalg.solve(A, [np.mean(self.x * self.y), np.mean(self.y)])
            return float(w), float(b)
        p = np.zeros(2)
        for _ in range(50):
            s = 0.5 + 0.5 * np.tanh(0.5 * (p[0] * self.x + p[1]))
            weight = s * (1 - s)
            H = np.array(
                [[np.mean(weight * self.x**2), np.mean(weight * self.x)], [np.mean(weight * self.x), np.mean(weight)]]
            )
            p = p - np.linalg.solve(H + 1e-12 * np.eye(2), self.gradient(*p))
        return float(p[0]), float(p[1])

    def grid(self, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``ws`` (n,), ``bs`` (n,) evenly spanning the ranges, and the loss (n, n) indexed
        [row = b, column = w], as a contour plot wants it."""
        ws = np.linspace(*self.w_range, n)
        bs = np.linspace(*self.b_range, n)
        return ws, bs, self.loss(ws[None, :], bs[:, None])


def linear_surface(n_samples: int = 20, seed: int = 0) -> NeuronSurface:
    """A linear neuron fitting y ≈ 0.5·x + 1 (plus noise) for x in [0, 4]: an elongated,
    tilted bowl (the inputs are not centred), where plain descent zig-zags."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 4.0, n_samples)
    y = 0.5 * x + 1.0 + rng.normal(0.0, 0.3, n_samples)
    return NeuronSurface("linear", x, y, "linear", (-2.5, 3.5), (-3.0, 5.0), (-2.0, 4.0))


def sigmoid_surface(n_samples: int = 20, seed: int = 0) -> NeuronSurface:
    """A sigmoid neuron classifying overlapping 1-D classes (class 1 around x = 1, class 0
    around x = −1) by cross-entropy: a bowl with flat plateaus far from its floor."""
    rng = np.random.default_rng(seed)
    half = n_samples // 2
    y = np.r_[np.ones(half), np.zeros(n_samples - half)]
    x = np.where(y == 1, 1.0, -1.0) + rng.normal(0.0, 1.0, n_samples)
    return NeuronSurface("sigmoid", x, y, "sigmoid", (-3.0, 6.0), (-4.5, 4.5), (-2.0, 3.5))


SURFACES = {"linear": linear_surface, "sigmoid": sigmoid_surface}
RACE_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
ESCAPE = 1e6  # a path whose |w| or |b| passes this has diverged and stops


@dataclass
class OptimizerRace:
    """Several optimizers stepping down ``surface`` from ``start``, one step each per
    ``step()``, with the same learning rate and their default settings.

    ``paths[name]`` is a list of (w, b) points, the start first; ``losses[name]`` the loss
    at each; ``diverged[name]`` the step at which |w| or |b| passed ``escape`` (or stopped
    being a number): that point is not kept and the path stops where it was. Plain data
    plus optimizer state: one per session.
    """

    surface: NeuronSurface
    start: tuple[float, float]
    learning_rate: float
    names: tuple[str, ...] = RACE_OPTIMIZERS
    escape: float = ESCAPE
    paths: dict = field(init=False)
    losses: dict = field(init=False)
    diverged: dict = field(init=False)
    steps: int = field(init=False, default=0)
    # path(name) as an array, extended as the path grows: a live frame draws every path,
    # and converting the whole list each time was most of a race frame's cost.
    _path_arrays: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        start = np.array(self.start, dtype=float)
        if start.shape != (2,) or not np.all(np.isfinite(start)):
            raise ValueError(f"start must be two finite numbers (w, b), got {self.start!r}")
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, got {self.learning_rate!r}")
        self._optimizers = {name: make_optimizer(name) for name in self.names}
        self._params = {name: start.copy() for name in self.names}
        self.paths = {name: [tuple(start)] for name in self.names}
        first = float(self.surface.loss(*start))
        self.losses = {name: [first] for name in self.names}
        self.diverged = {name: None for name in self.names}

    def step(self, n: int = 1) -> "OptimizerRace":
        """Advance every optimizer ``n`` steps (a diverged one stays put)."""
        for _ in range(n):
            self.steps += 1
            for name in self.names:
                if self.diverged[name] is not None:
                    continue
                p = self._params[name]
                self._optimizers[name].step(p, self.surface.gradient(*p), self.learning_rate)
                if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > self.escape:
                    self.diverged[name] = self.steps
                    continue
                self.paths[name].append((float(p[0]), float(p[1])))
                self.losses[name].append(float(self.surface.loss(*p)))
        return self

    def path(self, name: str) -> np.ndarray:
        """The path of ``name`` as an array (n_points, 2) of (w, b), read-only: only the
        points added since the last call are converted (``paths`` only ever grows)."""
        points = self.paths[name]
        known = self._path_arrays.get(name)
        if known is None or len(known) > len(points):
            known = np.empty((0, 2))
        if len(known) < len(points):
            fresh = np.array(points[len(known) :], dtype=float).reshape(-1, 2)
            known = np.concatenate([known, fresh])
            known.setflags(write=False)
            self._path_arrays[name] = known
        return known


def optimizer_paths(
    surface: NeuronSurface, start: tuple[float, float], learning_rate: float, n_steps: int, names=RACE_OPTIMIZERS
) -> dict[str, np.ndarray]:
    """Each optimizer's path (n_steps + 1, 2) of (w, b) (shorter if it diverged)."""
    race = OptimizerRace(surface, start, learning_rate, tuple(names)).step(n_steps)
    return {name: race.path(name) for name in race.names}
