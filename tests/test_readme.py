"""The README's engine example runs as written, and its commands are the Makefile's."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_engine_example_runs():
    (example,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)  # our own documentation, not user text
    assert namespace["report"].epochs_run == 200
    assert namespace["check"].passed()


def test_the_two_commands_come_first_and_exist():
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S).group(1)
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
