"""A safe evaluator for a user's formula in x, such as ``sin(3*x) + 0.5*x**2``.

The text is parsed with ``ast.parse`` and never evaluated by Python: every node of the tree must
be on a short whitelist (numbers, ``x``, ``pi``, ``e``, ``+ - * / **``, unary ``-``/``+`` and calls
of the functions in ``FUNCTIONS``), and is compiled into a closure over NumPy operations on
float arrays. Anything else raises ``FormulaError``, whose message names the offending part and
its column.
"""

import ast
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

import numpy as np

MAX_LENGTH = 200  # characters
MAX_PARENTHESES = 20  # depth of brackets in the raw text, checked before the parser sees it
MAX_DEPTH = 100  # of the syntax tree: any sum within MAX_LENGTH fits; 150 minus signs in a row do not
MAX_EXPONENT = 100  # |constant exponent|; x**1000 overflows long before it means anything here
MAX_ABS_VALUE = 1e6  # larger values are not a target a network can learn on this page
GRID_POINTS = 2001  # finiteness is checked on this many evenly spaced x, ends and 0 included

Array = np.ndarray
Node = Callable[[Array], Array]

# name -> (smallest and largest number of arguments, NumPy function)
FUNCTIONS: dict[str, tuple[int, int, Callable]] = {
    "sin": (1, 1, np.sin),
    "cos": (1, 1, np.cos),
    "tan": (1, 1, np.tan),
    "exp": (1, 1, np.exp),
    "log": (1, 1, np.log),
    "sqrt": (1, 1, np.sqrt),
    "abs": (1, 1, np.abs),
    "tanh": (1, 1, np.tanh),
    "sign": (1, 1, np.sign),
    "floor": (1, 1, np.floor),
    "clip": (3, 3, np.clip),
    "min": (2, 8, lambda *args: reduce(np.minimum, args)),
    "max": (2, 8, lambda *args: reduce(np.maximum, args)),
}
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}

_BINARY: dict[type, Callable[[Array, Array], Array]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_UNARY: dict[type, Callable[[Array], Array]] = {ast.USub: np.negative, ast.UAdd: np.positive}
# operator -> (symbol, hint)
_REFUSED_OPERATORS = {
    ast.BitXor: ("^", ": for a power write x**2"),
    ast.Mod: ("%", ""),
    ast.FloorDiv: ("//", ": use floor(a / b)"),
    ast.MatMult: ("@", ""),
    ast.BitAnd: ("&", ""),
    ast.BitOr: ("|", ": use abs(x) for |x|"),
    ast.LShift: ("<<", ""),
    ast.RShift: (">>", ""),
}
_REFUSED_NODES = {
    ast.Subscript: "indexing is",
    ast.Compare: "comparisons are",
    ast.BoolOp: "'and' / 'or' are",
    ast.IfExp: "'if ... else' is",
    ast.Lambda: "lambda is",
    ast.NamedExpr: "':=' is",
    ast.Starred: "'*' unpacking is",
    ast.JoinedStr: "strings are",
}


class FormulaError(ValueError):
    """A formula that cannot be accepted. ``column`` (1-based, or None) locates the offending
    part of ``text``; ``caret`` is two lines, the text and a ``^`` under that column."""

    def __init__(self, message: str, text: str = "", column: int | None = None, hint: str = ""):
        where = "" if column is None else f" at column {column}"
        super().__init__(f"{message}{where}{hint}")
        self.text, self.column = text, column

    @property
    def caret(self) -> str:
        if self.column is None:
            return self.text
        return f"{self.text}\n{' ' * (self.column - 1)}^"


@dataclass(frozen=True)
class Formula:
    """A compiled formula: ``formula(x) -> y``, elementwise over float arrays of any shape.

    Overflow and invalid operations give inf or nan silently; ``evaluate`` checks them.
    """

    text: str
    fn: Node

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            return np.asarray(self.fn(x), dtype=float) + np.zeros_like(x)  # a constant broadcasts to x's shape

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


_NUMBER_THEN_NAME = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)(?![eE][+-]?\d)([A-Za-z_]\w*)")
_SIDE_BY_SIDE = re.compile(r"([A-Za-z_]\w*|\d+(?:\.\d*)?|\))\s+([A-Za-z_]\w*|\d+(?:\.\d*)?|\()")


def _in_plain_words(text: str, message: str) -> str:
    """What is wrong with a formula Python cannot read, in the words of someone writing
    maths: "5x" means 5*x, "sin x" means sin(x)."""
    found = _NUMBER_THEN_NAME.search(text)
    if found:
        number, name = found.groups()
        call = "(...)" if name in FUNCTIONS else ""
        return f"a number right before a name: write {number}*{name}{call} for a product"
    found = _SIDE_BY_SIDE.search(text)
    if found:
        before, after = found.groups()
        if before in FUNCTIONS:
            return f"functions need brackets: write {before}({after})"
        return f"two terms side by side: write {before}*{after} for a product"
    return f"this cannot be read as a formula ({message}): check the brackets and the operators"


def compile_formula(text: str, domain: tuple[float, float] | None = None) -> Formula:
    """Parse and compile ``text``; with ``domain=(low, high)``, also check that it is finite and
    within +-MAX_ABS_VALUE on a dense grid there. Raises ``FormulaError``."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, not {type(text).__name__}")
    text = text.strip()
    _check_raw_text(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "1if x" warns before it fails; the error says it all
            tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        column = None if err.offset is None else min(max(err.offset, 1), len(text) + 1)
        raise FormulaError(_in_plain_words(text, err.msg), text, column) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as err:
        raise FormulaError(f"cannot read the formula ({type(err).__name__})", text) from None
    formula = Formula(text, _Compiler(text).node(tree.body, 1))
    if domain is not None:
        evaluate(formula, np.linspace(domain[0], domain[1], GRID_POINTS))
    return formula


def evaluate(formula: Formula, x) -> np.ndarray:
    """``formula(x)``, raising ``FormulaError`` at the first x where the value is not finite or
    exceeds MAX_ABS_VALUE in magnitude."""
    x = np.asarray(x, dtype=float)
    y = formula(x)
    bad = ~np.isfinite(y)
    if bad.any():
        raise FormulaError(f"{formula.text} is not finite at x = {x[bad].flat[0]:.4g}")
    where = np.argmax(np.abs(y))
    if np.abs(y.flat[where]) > MAX_ABS_VALUE:
        at = f"at x = {x.flat[where]:.4g}"
        raise FormulaError(f"{formula.text} reaches {y.flat[where]:.3g} {at}; keep values within ±{MAX_ABS_VALUE:g}")
    return y


def _check_raw_text(text: str) -> None:
    """Refuse what could trouble the parser itself (too long, too deep) or is never a formula."""
    if not text:
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH}")
    depth = 0
    for i, char in enumerate(text):
        if not char.isprintable():
            raise FormulaError(f"unexpected character {char!r}", text, i + 1)
        depth += (char in "([{") - (char in ")]}")
        if depth > MAX_PARENTHESES:
            raise FormulaError(f"brackets nested more than {MAX_PARENTHESES} deep", text, i + 1)


class _Compiler:
    """Walks the syntax tree of one formula and builds its closure, refusing anything off the whitelist."""

    def __init__(self, text: str):
        self.text = text
        self._encoded = text.encode("utf-8")

    def fail(self, message: str, node: ast.AST | None = None, column: int | None = None, hint: str = ""):
        if column is None and node is not None:
            column = self._column(node.col_offset)
        raise FormulaError(message, self.text, column, hint)

    def _column(self, byte_offset: int) -> int:
        # ast reports UTF-8 byte offsets; the user counts characters.
        return len(self._encoded[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def node(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.fail(f"the formula is nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):  # point at the dot, not at what precedes it
            dot = self._column(node.end_col_offset) - len(node.attr) - 1
            self.fail(f"attribute access {_short('.' + node.attr)!r} is not allowed", column=dot)
        what = _REFUSED_NODES.get(type(node), f"this kind of expression ({type(node).__name__}) is")
        self.fail(f"{what} not allowed", node)

    def binary(self, node: ast.BinOp, depth: int) -> Node:
        if type(node.op) in _REFUSED_OPERATORS:
            symbol, hint = _REFUSED_OPERATORS[type(node.op)]
            self.fail(f"'{symbol}' is not allowed", column=self._operator_column(node, symbol), hint=hint)
        op = _BINARY[type(node.op)]
        left, right = self.node(node.left, depth + 1), self.node(node.right, depth + 1)
        if isinstance(node.op, ast.Pow) and not _uses_x(node.right):
            self._check_exponent(right, node.right)
        return lambda x: op(left(x), right(x))

    def _check_exponent(self, exponent: Node, node: ast.AST) -> None:
        """A constant exponent is known now: refuse a huge one before anything is computed
        (``9**9**9`` is refused here, in float arithmetic, never as a Python integer)."""
        with np.errstate(all="ignore"):
            value = float(exponent(np.zeros(1)))
        if not np.isfinite(value):
            self.fail("the exponent is not a finite number", node)
        if abs(value) > MAX_EXPONENT:
            self.fail(f"the exponent {value:.4g} is too large", node, hint=f"; at most ±{MAX_EXPONENT}")

    def _operator_column(self, node: ast.BinOp, symbol: str) -> int:
        start, end = node.left.end_col_offset, node.right.col_offset
        between = self._encoded[start:end].decode("utf-8", errors="ignore")
        return self._column(start) + max(between.find(symbol), 0)

    def unary(self, node: ast.UnaryOp, depth: int) -> Node:
        if type(node.op) not in _UNARY:
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            self.fail(f"'{symbol}' is not allowed", node)
        op, operand = _UNARY[type(node.op)], self.node(node.operand, depth + 1)
        return lambda x: op(operand(x))

    def constant(self, node: ast.Constant) -> Node:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"only numbers are allowed, not {_short(repr(value))}", node)
        try:
            number = float(value)
        except OverflowError:
            number = np.inf
        if not np.isfinite(number):
            self.fail("the number is too large", node)
        return lambda x: number

    def name(self, node: ast.Name) -> Node:
        if node.id == "x":
            return lambda x: x
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]
            return lambda x: value
        hint = "; functions need brackets: sin(x)" if node.id in FUNCTIONS else "; use x, pi and e"
        self.fail(f"unknown name {_short(node.id)!r}", node, hint=hint)

    def call(self, node: ast.Call, depth: int) -> Node:
        if isinstance(node.func, ast.Attribute):
            self.node(node.func, depth + 1)  # refuses it, pointing at the dot
        if isinstance(node.func, ast.Constant | ast.BinOp | ast.UnaryOp):  # 2(x+1), (x+1)(x-1)
            self.fail("a value right before a bracket: write * between them for a product", node)
        if not isinstance(node.func, ast.Name):
            self.fail("only the listed functions can be called, by name", node)
        name = node.func.id
        if name == "x":  # x(x+1)
            self.fail("x right before a bracket: write x*(...) for a product", node)
        if name not in FUNCTIONS:
            self.fail(f"unknown function {_short(name)!r}", node, hint=f"; allowed: {', '.join(FUNCTIONS)}")
        if node.keywords:
            self.fail(f"{name}() takes no named arguments", node.keywords[0].value)
        low, high, fn = FUNCTIONS[name]
        if not low <= len(node.args) <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            self.fail(f"{name}() takes {expected} argument(s), got {len(node.args)}", node)
        args = [self.node(arg, depth + 1) for arg in node.args]
        if len(args) == 1:
            (arg,) = args
            return lambda x: fn(arg(x))
        return lambda x: fn(*(arg(x) for arg in args))


def _uses_x(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "x" for n in ast.walk(node))


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
