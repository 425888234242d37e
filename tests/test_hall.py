"""The lecture hall's pieces that need no processes: HAProxy's configuration as
deploy/hall.py writes it (checked by HAProxy itself when installed), the command line,
and how ui/live/hall.py reads a lost session."""

import subprocess

import pytest

from deploy import hall
from deploy.hall import COOKIE, Worker, find_haproxy, parse_args, render_config, worker_command
from ui.live import hall as app_hall

WORKERS = [Worker("w1", 41001), Worker("w2", 41002), Worker("w3", 41003)]


def config(**overrides) -> str:
    return render_config(WORKERS, **{"port": 8501, "admin_socket": "/tmp/x/admin.sock", **overrides})


def test_one_server_per_worker_sticky_by_its_cookie_and_health_checked():
    text = config()
    servers = [line.split() for line in text.splitlines() if line.strip().startswith("server ")]
    assert servers == [["server", w.name, f"127.0.0.1:{w.port}", "cookie", w.name, "check"] for w in WORKERS]
    assert f"cookie {COOKIE} insert" in text
    assert "indirect" not in text  # the app reads the cookie (ui/live/hall.py)
    assert "option httpchk GET /_stcore/health" in text
    assert "option redispatch" in text
    assert "retry-on conn-failure" in text
    assert "timeout tunnel 1h" in text  # the websockets live as long as the lecture
    assert "balance leastconn" in text


def test_the_one_port_and_address_and_the_error_page():
    text = config(port=9000, address="127.0.0.1")
    assert "bind 127.0.0.1:9000" in text
    for code in (502, 503, 504):
        assert f"errorfile {code} {hall.ERROR_PAGE}" in text
    page = hall.ERROR_PAGE.read_text()
    assert page.startswith("HTTP/1.0 503")
    assert 'http-equiv="refresh"' in page  # it reloads itself
    assert "restarting" in page


def test_no_template_placeholder_is_left():
    assert "$" not in config()


def test_workers_must_be_named_apart_and_be_at_least_one():
    with pytest.raises(ValueError, match="at least one"):
        render_config([], port=1, admin_socket="s")
    with pytest.raises(ValueError, match="differ"):
        render_config([Worker("w1", 1), Worker("w1", 2)], port=1, admin_socket="s")


@pytest.mark.skipif(find_haproxy() is None, reason="no HAProxy (apt-get install haproxy)")
def test_haproxy_accepts_the_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(config(admin_socket=tmp_path / "admin.sock"))
    check = subprocess.run([find_haproxy(), "-c", "-f", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_command_line_defaults_to_one_worker_per_core_on_8501(monkeypatch):
    monkeypatch.setattr(hall.os, "cpu_count", lambda: 6)
    args = parse_args([])
    assert (args.workers, args.port) == (6, 8501)
    args = parse_args(["--workers", "2", "--port", "9000"])
    assert (args.workers, args.port) == (2, 9000)


def test_a_worker_is_streamlit_on_its_internal_port_only():
    command = worker_command(Worker("w1", 41001))
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert command[4].endswith("app.py")
    assert command[command.index("--server.port") + 1] == "41001"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"


def test_every_worker_gets_one_malloc_arena_pair_and_one_blas_thread():
    assert hall.WORKER_ENV_DEFAULTS["MALLOC_ARENA_MAX"] == "2"
    assert hall.WORKER_ENV_DEFAULTS["OPENBLAS_NUM_THREADS"] == "1"


# ---- ui/live/hall.py: what a new session is told -------------------------------------------


def test_the_session_a_browser_asks_for_is_the_third_subprotocol():
    assert app_hall.asked_session("streamlit, 2|abc|def|1, 1234-abcd") == "1234-abcd"
    assert app_hall.asked_session("streamlit, 2|abc|def|1, ") is None
    assert app_hall.asked_session("streamlit") is None
    assert app_hall.asked_session(None) is None


def lost(asked="old", session="new", cookie="w1", worker="w1", uptime=3600.0, ttl=300.0):
    return app_hall.lost_session_message(asked, session, cookie, worker, uptime, ttl)


def test_a_new_tab_or_a_resumed_session_is_told_nothing():
    assert lost(asked=None) is None
    assert lost(asked="same", session="same") is None


def test_a_session_lost_to_a_restart_or_a_dead_worker_says_the_server_restarted():
    assert lost(uptime=5.0) == app_hall.RESTARTED  # this worker is younger than the TTL
    assert lost(cookie="w2", worker="w1") == app_hall.RESTARTED  # sent here from a dead worker
    assert "started afresh" in app_hall.RESTARTED


def test_a_session_away_longer_than_the_ttl_says_so():
    message = lost(uptime=3600.0, ttl=300.0)
    assert message == app_hall.AWAY.format(minutes=5)
    assert "more than 5 minutes" in message
    assert lost(cookie=None, worker=None, uptime=3600.0, ttl=300.0) == message  # `make run`: no hall
