"""A lecture hall: one Streamlit process per core behind HAProxy, on one port.

    python -m deploy.hall [--workers N] [--port 8501] [--address 0.0.0.0]

One Streamlit process runs Python on one core at a time and keeps each session in its
own memory, so more students need more processes and a proxy that keeps each browser on
its process. This starts N ``streamlit run app.py`` workers on internal ports of
127.0.0.1, writes HAProxy's configuration (from ``haproxy.cfg.template``: sticky sessions
by an inserted cookie, WebSockets passed through, health checks, redispatch to a live
worker), runs HAProxy in the foreground, restarts a worker that dies (on its own port,
under its own name) and stops everything on SIGTERM or Ctrl+C.

Why HAProxy: Debian packages it (``apt-get install haproxy``), and everything the hall
needs is in its plain configuration: cookie stickiness (``cookie ... insert``), WebSocket
tunnelling without extra settings, active health checks, retries that redispatch to
another server when one refuses, and error pages of our own. nginx's open-source build
has no cookie stickiness (only ``ip_hash``, which puts a hall behind one NAT address on
one process) and no active health checks; Caddy does both but is not in Debian 12.

Every worker gets the same ``server.cookieSecret`` (Streamlit's signed cookies then hold
on every worker) and ``HALL_WORKER=<name>`` (ui/live/hall.py tells a student whose
session was lost which worker it is now on).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "haproxy.cfg.template"
ERROR_PAGE = HERE / "restarting.http"
COOKIE = "nnp_worker"  # HAProxy's sticky cookie: its value is the worker's name
WORKER_ENV = "HALL_WORKER"  # a worker's name, in its environment (ui/live/hall.py reads it)
HAPROXY_PATHS = ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
# glibc gives threads that allocate at once arenas of their own (up to 8 per core), and
# Streamlit runs each session's script on a thread of its own: memory freed by closed
# sessions then stays spread over many arenas. Two arenas (set unless the environment
# says otherwise; measured with benchmarks/hall_memory.py, README "A lecture hall").
WORKER_ENV_DEFAULTS = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}


def find_haproxy() -> str | None:
    """HAProxy's binary: on the PATH, or where Debian puts it (/usr/sbin is not on a
    normal user's PATH)."""
    found = shutil.which("haproxy")
    if found:
        return found
    return next((p for p in HAPROXY_PATHS if os.access(p, os.X_OK)), None)


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


@dataclass
class Worker:
    """One ``streamlit run app.py`` on 127.0.0.1:``port``, known to HAProxy as ``name``."""

    name: str
    port: int
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started: float = field(default=0.0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def render_config(
    workers: list[Worker],
    *,
    port: int,
    address: str = "*",
    admin_socket: str | Path,
    error_page: str | Path = ERROR_PAGE,
    cookie: str = COOKIE,
    maxconn: int = 4096,
) -> str:
    """HAProxy's configuration for these workers: one ``server`` line each, sticky by the
    cookie ``cookie`` whose value is the worker's name, health-checked."""
    if not workers:
        raise ValueError("a hall needs at least one worker")
    names = [w.name for w in workers]
    if len(set(names)) != len(names):
        raise ValueError(f"worker names must differ: {names}")
    servers = "\n".join(f"    server {w.name} 127.0.0.1:{w.port} cookie {w.name} check" for w in workers)
    return string.Template(TEMPLATE.read_text()).substitute(
        servers=servers,
        port=port,
        address=address,
        admin_socket=admin_socket,
        error_page=error_page,
        cookie=cookie,
        maxconn=maxconn,
    )


def worker_command(worker: Worker) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(worker.port),
    ]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


class Hall:
    """The workers and the proxy of one hall. ``start()`` starts them (the workers first,
    healthy before HAProxy takes students); ``supervise()`` restarts dead workers until the
    proxy ends or ``stop()`` is called."""

    def __init__(self, workers: int, port: int, address: str = "*", haproxy: str | None = None):
        self.haproxy = haproxy or find_haproxy()
        if self.haproxy is None:
            raise SystemExit(
                "HAProxy is not installed: `make run-hall` installs it (apt-get install haproxy), "
                "or install it yourself and run again."
            )
        if workers < 1:
            raise SystemExit(f"--workers must be at least 1, not {workers}")
        self.port = port
        self.address = address
        self.run_dir = Path(tempfile.mkdtemp(prefix="nn-hall-"))
        self.admin_socket = self.run_dir / "admin.sock"
        self.config_path = self.run_dir / "haproxy.cfg"
        self.workers = [Worker(name=f"w{i + 1}", port=free_port()) for i in range(workers)]
        self.env = {**WORKER_ENV_DEFAULTS, **os.environ}  # the caller's environment decides
        # One secret for every worker: Streamlit's signed cookies then hold on all of them.
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.proxy: subprocess.Popen | None = None
        self.stopping = False

    def log(self, message: str) -> None:
        print(f"hall: {message}", flush=True)

    def start_worker(self, worker: Worker) -> None:
        worker.proc = subprocess.Popen(
            worker_command(worker),
            cwd=ROOT,
            env={**self.env, WORKER_ENV: worker.name},
            stdin=subprocess.DEVNULL,
            # Its stdout only says which internal port it serves (not the one to open);
            # its log and any traceback go to stderr, which stays on this terminal.
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches the hall only, which stops them in order
        )
        worker.started = time.monotonic()

    def start(self, timeout: float = 120.0) -> None:
        for worker in self.workers:
            self.start_worker(worker)
        deadline = time.monotonic() + timeout
        waiting = list(self.workers)
        while waiting:
            waiting = [w for w in waiting if not healthy(w.url)]
            dead = [w for w in waiting if w.proc.poll() is not None]
            if dead or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"hall: worker {(dead or waiting)[0].name} did not start; see its output above")
            if waiting:
                time.sleep(0.25)
        self.config_path.write_text(
            render_config(self.workers, port=self.port, address=self.address, admin_socket=self.admin_socket)
        )
        check = subprocess.run([self.haproxy, "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True)
        if check.returncode != 0:
            self.stop()
            raise SystemExit(f"hall: HAProxy refused its configuration {self.config_path}:\n{check.stderr}")
        # -db: stay in the foreground, HAProxy's messages on this terminal.
        self.proxy = subprocess.Popen(
            [self.haproxy, "-db", "-f", str(self.config_path)], stdin=subprocess.DEVNULL, start_new_session=True
        )
        shown = "localhost" if self.address in ("*", "0.0.0.0", "") else self.address
        pids = ", ".join(f"{w.name} pid {w.proc.pid} on :{w.port}" for w in self.workers)
        self.log(f"{len(self.workers)} workers ({pids}) behind HAProxy (pid {self.proxy.pid})")
        self.log(f"HAProxy's configuration {self.config_path}, its admin socket {self.admin_socket}")
        self.log(f"serving the playground: open http://{shown}:{self.port} (Ctrl+C stops it)")

    def supervise(self, poll: float = 0.25) -> int:
        """Restart any worker that exits, until the proxy ends or the hall stops. Returns
        the hall's exit code."""
        while not self.stopping:
            if self.proxy.poll() is not None:
                self.log(f"HAProxy ended (exit code {self.proxy.returncode}); stopping the workers")
                self.stop()
                return self.proxy.returncode or 1
            for worker in self.workers:
                code = worker.proc.poll()
                if code is not None and not self.stopping:
                    worker.restarts += 1
                    self.log(
                        f"worker {worker.name} (pid {worker.proc.pid}) exited with code {code}; "
                        f"restarting it (restart {worker.restarts}); HAProxy sends its students elsewhere meanwhile"
                    )
                    self.start_worker(worker)
                    self.log(f"worker {worker.name} is pid {worker.proc.pid}")
            time.sleep(poll)
        return 0

    def stop(self) -> None:
        self.stopping = True
        procs = [p for p in [self.proxy, *(w.proc for w in self.workers)] if p is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.hall",
        description="Serve the playground from several Streamlit processes behind HAProxy (sticky by cookie).",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: one per core)"
    )
    parser.add_argument("--port", type=int, default=8501, help="the one port students open (default 8501)")
    parser.add_argument(
        "--address", default="*", help="the address HAProxy listens on (default: every interface, like streamlit run)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    hall = Hall(args.workers, args.port, args.address)

    def on_signal(signum, frame):  # SIGTERM (docker stop, systemd) and Ctrl+C alike
        hall.stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    hall.start()
    try:
        code = hall.supervise()
    finally:
        hall.log("stopping")
        hall.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
