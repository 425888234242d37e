"""The app as a separate process, and the Chromium that drives it: shared by the live
benchmark (benchmarks/live.py) and the browser tests (tests/browser/conftest.py)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; browsers cannot be downloaded here
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on a free port, healthy when constructed; its output goes to
    ``log`` (a path) or nowhere. Its CPU time and memory are readable; ``stop()`` ends it."""

    def __init__(self, log: Path | None = None, timeout: float = 60.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "w") if log else None
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true"]
        self.proc = subprocess.Popen(
            [*command, "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log else subprocess.DEVNULL,
        )
        deadline = time.time() + timeout
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("the app did not start" + (f"; see {log}" if log else ""))
            time.sleep(0.25)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.proc.pid)

    def rss_mb(self) -> float:
        return round(rss_mb(self.proc.pid), 1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self._log:
            self._log.close()


def cpu_seconds(pid: int) -> float:
    """Processor seconds process ``pid`` has used (user and system); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (NaN once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class HallServer:
    """The lecture hall, ``python -m deploy.hall --workers N`` (HAProxy in front of N
    Streamlit workers, sticky by cookie), on a free port, ready when constructed; its
    output goes to ``log``. The workers' CPU time and memory are readable; ``stop()`` ends
    it. ``ttl`` sets Streamlit's disconnected-session TTL for the workers."""

    def __init__(self, log: Path, workers: int = 2, ttl: int | None = None, timeout: float = 120.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log)
        self._log = open(log, "w")
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        if ttl is not None:
            env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(ttl)
        hall = ["-m", "deploy.hall", "--workers", str(workers), "--port", str(self.port), "--address", "127.0.0.1"]
        self.proc = subprocess.Popen(
            [sys.executable, *hall], cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.time() + timeout
        while "serving the playground" not in self.log_path.read_text():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"the hall did not start; see {log}")
            time.sleep(0.25)

    def pids(self) -> dict[str, int]:
        """Each worker's current pid, as the hall's log last said (a restart says anew)."""
        text = self.log_path.read_text()
        found = dict(re.findall(r"\b(w\d+) pid (\d+) on", text))
        found.update(re.findall(r"worker (w\d+) is pid (\d+)", text))
        return {name: int(pid) for name, pid in found.items()}

    def admin_socket(self) -> str:
        """HAProxy's admin socket (its runtime API: e.g. shut a worker's sessions down)."""
        return re.search(r"admin socket (\S+)", self.log_path.read_text()).group(1)

    def cpu_seconds(self) -> float:
        """The workers' processor seconds, together."""
        return sum(cpu_seconds(pid) for pid in self.pids().values())

    def rss_mb(self) -> dict[str, float]:
        """Each worker's resident memory in MB."""
        return {name: round(rss_mb(pid), 1) for name, pid in self.pids().items()}

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()
