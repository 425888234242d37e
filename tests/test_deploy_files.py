"""The deployment files agree with each other and with the hall: the Dockerfile, compose.yaml
and deploy/k8s/playground.yaml serve the same port, run the same command, probe
/_stcore/health, keep a browser on its worker (cookie affinity) and set their sizes; and the
image's command, run as the image runs it but outside a container, serves the app.

(The image itself was built and run with podman; README, "Deploying for a class". No YAML
parser is a dependency: the YAML files are read as text, by their lines.)
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PORT = 8501
HEALTH = "/_stcore/health"
HALL_COMMAND = f"python -m deploy.hall --port {PORT}"
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()
K8S = (ROOT / "deploy" / "k8s" / "playground.yaml").read_text()


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continued lines joined."""
    logical, current = [], ""
    for line in dockerfile.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.lstrip().startswith("#"):  # a comment inside a continued instruction
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        logical.append(current.strip())
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def only(kind: str) -> str:
    found = [args for name, args in instructions(DOCKERFILE) if name == kind]
    assert len(found) == 1, f"the Dockerfile has {len(found)} {kind} instructions"
    return found[0]


def image_command() -> list[str]:
    """The image's CMD in exec form (a JSON list)."""
    return json.loads(only("CMD"))


def k8s_documents() -> dict[str, str]:
    documents = {}
    for text in re.split(r"^---\s*$", K8S, flags=re.M):
        kind = re.search(r"^kind:\s*(\S+)", text, flags=re.M)
        if kind:
            documents[kind.group(1)] = text
    return documents


# ---- the Dockerfile --------------------------------------------------------------------


def test_the_image_runs_the_hall_on_the_port_it_exposes():
    command = image_command()
    assert command[:2] == ["sh", "-c"], "the shell form passes WORKERS on; exec makes the hall PID 1"
    shell = command[2]
    assert shell.startswith(f"exec {HALL_COMMAND}"), shell
    assert '${WORKERS:+--workers "$WORKERS"}' in shell  # WORKERS when set, else the hall's default
    assert only("EXPOSE") == str(PORT)


def test_the_image_has_python_3_11_haproxy_and_a_user_of_its_own():
    runs = [args for name, args in instructions(DOCKERFILE) if name == "RUN"]
    assert any(re.search(r"apt-get install .*\bpython3\.11\b.*\bhaproxy\b", args) for args in runs)
    assert only("USER") not in ("root", "0")
    assert only("FROM") == "${BASE_IMAGE}" and "ARG BASE_IMAGE=debian:bookworm-slim" in DOCKERFILE


def test_the_image_checks_its_health_on_the_port():
    check = only("HEALTHCHECK")
    assert f"127.0.0.1:{PORT}{HEALTH}" in check
    assert "--start-period=" in check


def test_the_build_context_holds_what_the_app_runs_and_leaves_the_rest_out():
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert lines[0] == "*"  # nothing but what is let in
    let_in = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    # Every top-level module or package that app.py, the pages and the hall import, and
    # the files they read (static/, Streamlit's settings), and pyproject.toml for the build.
    needed = {"app.py", "pyproject.toml", "engine", "ui", "pages", "static", ".streamlit", "deploy"}
    assert needed <= let_in, needed - let_in
    for name in let_in:
        assert (ROOT / name).exists(), f".dockerignore lets in {name}, which does not exist"
    imported = set()
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "deploy").glob("*.py")]:
        imported |= set(re.findall(r"^\s*(?:from|import)\s+(\w+)", path.read_text(), flags=re.M))
    local = {name for name in imported if (ROOT / name).is_dir() or (ROOT / f"{name}.py").exists()}
    assert local <= let_in, f"imported but left out of the image: {local - let_in}"


# ---- compose.yaml ----------------------------------------------------------------------


def test_compose_serves_the_image_on_the_same_port_with_workers_and_limits():
    assert re.search(r"^\s+build:\s*\.\s*$", COMPOSE, flags=re.M)
    assert re.search(rf'^\s+-\s*"{PORT}:{PORT}"\s*$', COMPOSE, flags=re.M)
    assert re.search(r'^\s+WORKERS:\s*"\$\{WORKERS:-\d+\}"', COMPOSE, flags=re.M)
    assert re.search(r'^\s+cpus:\s*"\$\{WORKERS:-\d+\}"', COMPOSE, flags=re.M), "one core per worker"
    assert re.search(r"^\s+mem_limit:\s*\S+", COMPOSE, flags=re.M)
    assert re.search(r"^\s+restart:\s*(unless-stopped|always)\s*$", COMPOSE, flags=re.M)
    assert "command:" not in COMPOSE, "compose runs the image's own command"


def test_compose_checks_the_same_health_as_the_image():
    block = COMPOSE.split("healthcheck:", 1)[1]
    assert f"http://127.0.0.1:{PORT}{HEALTH}" in block
    for key in ("interval", "timeout", "start_period", "retries"):
        assert re.search(rf"^\s+{key}:\s*\S+", block, flags=re.M), key
    # The very check the Dockerfile runs.
    snippet = re.search(r'"(import sys, urllib\.request;[^"]+)"', block).group(1)
    assert snippet in only("HEALTHCHECK")


# ---- Kubernetes ------------------------------------------------------------------------


def test_kubernetes_has_a_deployment_a_service_and_an_ingress():
    assert set(k8s_documents()) == {"Deployment", "Service", "Ingress"}


def test_the_deployment_sets_replicas_workers_resources_and_the_port():
    deployment = k8s_documents()["Deployment"]
    replicas = int(re.search(r"^\s+replicas:\s*(\d+)", deployment, flags=re.M).group(1))
    assert replicas >= 2
    assert re.search(rf"containerPort:\s*{PORT}\b", deployment)
    assert "command:" not in deployment and "args:" not in deployment, "the pod runs the image's own command"
    workers = deployment.split("- name: WORKERS", 1)[1].split("- name:", 1)[0]
    assert "resource: limits.cpu" in workers, "one worker per CPU of the limit"
    requests = re.search(r"requests:\s*\n\s+cpu:\s*\"?(\d+)\"?\s*\n\s+memory:\s*(\S+)", deployment)
    limits = re.search(r"limits:\s*\n\s+cpu:\s*\"?(\d+)\"?\s*\n\s+memory:\s*(\S+)", deployment)
    assert requests and limits
    assert requests.group(1) == limits.group(1), "the CPUs asked for are the workers started"


def test_the_probes_ask_for_health_on_the_port():
    deployment = k8s_documents()["Deployment"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        block = deployment.split(f"{probe}:", 1)[1]
        block = block.split("Probe:", 1)[0]
        assert re.search(rf"path:\s*{HEALTH}\b", block), probe
        assert re.search(r"port:\s*http\b", block), probe
    assert re.search(r"- name: http\s*\n\s+containerPort: 8501", deployment)


def test_affinity_by_cookie_at_the_ingress_and_by_address_at_the_service():
    documents = k8s_documents()
    service, ingress = documents["Service"], documents["Ingress"]
    assert re.search(r"^\s+sessionAffinity:\s*ClientIP\s*$", service, flags=re.M)
    assert re.search(r"targetPort:\s*http\b", service)
    assert re.search(r"nginx\.ingress\.kubernetes\.io/affinity:\s*cookie\s*$", ingress, flags=re.M)
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        seconds = re.search(rf'nginx\.ingress\.kubernetes\.io/{timeout}:\s*"(\d+)"', ingress)
        assert seconds and int(seconds.group(1)) >= 3600, f"{timeout}: a WebSocket lives as long as a lecture"
    assert re.search(r"name:\s*nn-playground\s*\n\s+port:\s*\n\s+name:\s*http", ingress)
    assert "NAT" in K8S, "the manifest says why cookie affinity matters"


# ---- the image's command, outside a container ------------------------------------------


def hall_or_skip():
    if not (ROOT / "deploy" / "hall.py").exists():
        pytest.skip("deploy/hall.py does not exist yet: the image's command runs it")
    from deploy.hall import find_haproxy

    if find_haproxy() is None:
        pytest.skip("deploy/hall.py needs HAProxy: apt-get install haproxy (make run-hall installs it)")


def get(url: str, timeout: float = 5) -> tuple[int, bytes, list[str]]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []


def test_the_hall_accepts_the_arguments_the_image_gives_it():
    hall_or_skip()
    from deploy.hall import parse_args

    shell = image_command()[2]
    argv = shlex.split(shell.replace('${WORKERS:+--workers "$WORKERS"}', "--workers 3"))
    assert argv[:4] == ["exec", "python", "-m", "deploy.hall"]
    args = parse_args(argv[4:])
    assert (args.port, args.workers) == (PORT, 3)


def test_the_image_command_serves_the_app_outside_a_container():
    """The CMD's shell line as the image runs it (sh -c, WORKERS set), on a free port
    instead of 8501 (which a developer's `make run` may hold): healthy through HAProxy, the
    worker's cookie set, a page served; SIGTERM (what `docker stop` sends) ends it with 0."""
    hall_or_skip()
    from benchmarks.app_server import free_port

    port = free_port()
    shell = image_command()[2].replace(f"--port {PORT}", f"--port {port} --address 127.0.0.1")
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    venv_bin = str(Path(sys.executable).parent)
    env = {**clean, "WORKERS": "2", "PATH": f"{venv_bin}:{clean.get('PATH', '')}"}
    proc = subprocess.Popen(
        ["sh", "-c", shell],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body, cookies = get(f"{url}{HEALTH}")
                if body == b"ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, f"the hall ended: {proc.stdout.read()}"
            assert time.monotonic() < deadline, "the hall was not healthy within 120 s"
            time.sleep(0.25)
        assert status == 200
        assert any(c.startswith("nnp_worker=w") for c in cookies), cookies  # sticky, by cookie
        status, page, _ = get(f"{url}/")
        assert status == 200 and b"<title>" in page
    finally:
        proc.send_signal(signal.SIGTERM)  # `exec`: the shell became the hall
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    output = proc.stdout.read()
    assert code == 0, output
    assert "2 workers" in output, output


def test_compose_and_kubernetes_set_the_session_ttl():
    """A disconnected session's life (Streamlit's server.disconnectedSessionTTL): set in both."""
    assert re.search(r'STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL:\s*"\$\{SESSION_TTL:-\d+\}"', COMPOSE)
    assert re.search(r'- name: STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL\s*\n\s+value:\s*"\d+"', K8S)
