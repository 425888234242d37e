"""The engine's module rules, checked on the source with ``ast`` so that they keep holding.

1. No module reaches into another's private names: no attribute starting with ``_`` is
   read or written on anything but ``self``/``cls`` (so ``Trainer`` uses ``Network``'s
   public API only), and no ``_name`` (or ``_module``) is imported from another module.
   Dunders (``__name__``, ``__future__``) are public protocol, not private names.
2. The engine runs on NumPy alone: every module imports only numpy, the standard library
   and engine itself.
"""

import ast
import sys
from pathlib import Path

import pytest

import engine

ENGINE_DIR = Path(engine.__file__).parent
MODULES = sorted(ENGINE_DIR.rglob("*.py"))
OWN = {"self", "cls"}
ALLOWED_PACKAGES = {"numpy", "engine"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_names(tree: ast.AST):
    """(line, dotted module name) of every absolute import, static or by a constant string."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def private_access(source: str) -> list[str]:
    """Every use of another object's or module's private name in ``source``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            own = (isinstance(owner, ast.Name) and owner.id in OWN) or (
                isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super"
            )
            if not own:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and not (isinstance(node.args[0], ast.Name) and node.args[0].id in OWN)
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"line {node.lineno}: imports {alias.name}" for alias in node.names if _private(alias.name)]
    for line, module in _module_names(tree):
        if module and any(_private(part) for part in module.split(".")):
            found.append(f"line {line}: imports module {module}")
    return found


def foreign_imports(source: str) -> list[str]:
    """Every imported module that is neither numpy, the standard library nor engine."""
    allowed = ALLOWED_PACKAGES | set(sys.stdlib_module_names)
    return [
        f"line {line}: {module}"
        for line, module in _module_names(ast.parse(source))
        if module and module.split(".")[0] not in allowed
    ]


def _name(path: Path) -> str:
    return str(path.relative_to(ENGINE_DIR.parent))


def test_the_engine_modules_are_found():
    names = {_name(p) for p in MODULES}
    assert {"engine/__init__.py", "engine/network.py", "engine/trainer.py", "engine/losses.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_uses_another_modules_private_names(path):
    assert private_access(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_import_only_numpy_the_standard_library_and_engine(path):
    assert foreign_imports(path.read_text(encoding="utf-8")) == []


# ---- the checks themselves catch what they must (else the tests above prove nothing) ----


@pytest.mark.parametrize(
    "source",
    [
        "net._forward(X)",
        "self.network._workspace(10)",
        "x = trainer._rng",
        "self.network._blocks[0] = 1",
        "np._core",
        "getattr(net, '_propagate')",
        "from engine.losses import _CLIP",
        "from engine.losses import CLIP, _CLIP as CLIP2",
        "from . import _helper",
        "import engine._private",
        "from engine._private import thing",
        "def f(other):\n    return other._blocks",
    ],
)
def test_private_access_is_caught(source):
    assert private_access(source)


@pytest.mark.parametrize(
    "source",
    [
        "self._workspace(10)",
        "cls._registry",
        "super()._check(x)",
        "from engine.datasets import xor as _quadrants_xor",  # a private alias of a public name
        "from __future__ import annotations",
        "x = obj.__class__.__name__",
        "def _helper(): pass\n_helper()",
        "getattr(self, '_cache', None)",
    ],
)
def test_own_and_public_names_pass(source):
    assert private_access(source) == []


def test_foreign_imports_are_caught():
    source = "import numpy as np\nimport numpy.linalg\nfrom collections import abc\n"
    source += "from engine.network import Network\nfrom . import losses\n"
    assert foreign_imports(source) == []
    bad = "import scipy.special\nfrom torch import nn\nimport numpy, pandas\nimportlib.import_module('sklearn')\n"
    assert foreign_imports(bad) == ["line 1: scipy.special", "line 2: torch", "line 3: pandas", "line 4: sklearn"]
