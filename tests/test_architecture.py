"""The project's shape, checked: every page package has the same modules, pure modules do
not import Streamlit, session-state keys are named only in ui/state.py, run state is
declared, and no module uses another's private names. (The engine's own rules, NumPy and
the standard library only and Network's public API, are in tests/engine/test_public_api.py.)
"""

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each page script and its package under ui/.
PAGES = {
    "playground": "playground",
    "gradient_descent": "descent",
    "the_neuron": "neuron",
    "universal_approximation": "approximation",
    "lessons": "lessons",
}
SHAPE = ("config.py", "run.py", "session.py", "controls.py", "figures.py", "text.py")
PURE = ("config.py", "run.py", "figures.py", "text.py")  # no Streamlit: plain data, NumPy and Plotly dicts
MAX_PAGE_LINES = 100


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def imported_modules(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_page_script_has_its_package_with_the_same_modules():
    scripts = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert scripts == set(PAGES), "a page without a package (or a package without a page) in PAGES"
    for package in PAGES.values():
        folder = ROOT / "ui" / package
        missing = [name for name in SHAPE if not (folder / name).exists()]
        assert not missing, f"ui/{package}/ lacks {missing}"


@pytest.mark.parametrize("package", sorted(PAGES.values()))
@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_streamlit(package, module):
    tree = parse(ROOT / "ui" / package / module)
    assert not [m for m in imported_modules(tree) if m.split(".")[0] == "streamlit"]


@pytest.mark.parametrize("script", sorted(PAGES))
def test_page_scripts_only_lay_out(script):
    """A page script calls its package: no functions of its own, no fragments, short."""
    path = ROOT / "pages" / f"{script}.py"
    tree = parse(path)
    defined = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    assert not defined, f"{path.name} defines {defined}: logic belongs in ui/{PAGES[script]}/"
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_PAGE_LINES, f"{path.name} has {lines} lines"


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _literal(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr)


def key_literals(tree: ast.Module) -> list[int]:
    """Lines where a session-state key (or a widget's key) is written as a string."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if any(k.arg == "key" and _literal(k.value) for k in node.keywords):
                lines.append(node.lineno)
            f = node.func
            if isinstance(f, ast.Attribute) and _is_session_state(f.value) and node.args and _literal(node.args[0]):
                lines.append(node.lineno)  # st.session_state.get("...") / pop / setdefault
        elif isinstance(node, ast.Subscript) and _is_session_state(node.value) and _literal(node.slice):
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.Compare)
            and _literal(node.left)
            and any(_is_session_state(c) for c in node.comparators)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path", [p for p in python_files("ui", "pages") if p.name != "state.py"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_session_state_key_is_written_outside_state_py(path):
    assert not key_literals(parse(path)), f"{path.relative_to(ROOT)}: a key written as a string"


def test_the_key_checker_finds_literal_keys():
    """The checker above, on code that breaks the rule in each way it looks for."""
    code = (
        'st.button("x", key="a")\nst.session_state["b"] = 1\nst.session_state.get(f"c{i}")\n'
        '"d" in st.session_state\nst.toggle("y", key=K.OK)\n'
    )
    assert key_literals(ast.parse(code)) == [1, 2, 3, 4]


def all_keys() -> list[str]:
    """Every key value declared in ui/state.py (families by one example each)."""
    from ui import state

    values = [state.SESSION_TOKEN]
    for name in dir(state):
        holder = getattr(state, name)
        if not (isinstance(holder, type) and name.endswith("Keys")) or holder in (state.LinkKeys, state.LoopKeys):
            continue
        for attr, value in vars(holder).items():
            if attr.startswith("_"):
                continue
            if isinstance(value, str):
                values.append(value)
            elif dataclasses.is_dataclass(value):
                values += [v for v in dataclasses.asdict(value).values()]
    return values


def test_every_declared_key_is_unique():
    keys = all_keys()
    assert len(keys) > 40
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


@pytest.mark.parametrize("package", sorted(PAGES.values()))
def test_run_state_is_declared_with_slots(package):
    """Every dataclass of a page's run module has slots: a stray attribute fails loudly."""
    module = importlib.import_module(f"ui.{package}.run")
    classes = [c for c in vars(module).values() if dataclasses.is_dataclass(c) and c.__module__ == module.__name__]
    for cls in classes:
        assert "__slots__" in vars(cls), f"{cls.__name__} has no slots"


def getattr_on_runs(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "hasattr", "setattr")
        and node.args
        and "run" in ast.unparse(node.args[0]).lower()
    ]


@pytest.mark.parametrize("path", python_files("ui", "pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_getattr_on_run_objects(path):
    assert not getattr_on_runs(parse(path)), f"{path.relative_to(ROOT)}: run state read with getattr"


@pytest.mark.parametrize(
    "path", python_files("ui", "pages", "engine", "benchmarks"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_private_names_imported_from_another_module(path):
    tree = parse(path)
    private = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not private, f"{path.relative_to(ROOT)} imports {private}"


def test_no_module_cites_documents_outside_the_project():
    cited = [
        str(p.relative_to(ROOT))
        for p in python_files("ui", "pages", "engine", "benchmarks", "tests")
        if "shared/" + "LIVE_UPDATES" in p.read_text() or "shared/" + "STYLE" in p.read_text()
    ]
    assert not cited
