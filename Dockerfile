# The playground for a class: `python -m deploy.hall` in one image, N `streamlit run app.py`
# workers behind HAProxy (sticky by cookie) on port 8501. README, "Deploying for a class".
#
#   docker build -t nn-playground .
#   docker run --rm -p 8501:8501 --cpus 4 -e WORKERS=4 --memory 2g nn-playground
#
# WORKERS: Streamlit processes, one per core the container may use (one process runs
# Python on one core at a time). Unset, the hall starts one per core it sees, which in a
# container is the host's count, not the container's CPU limit: set it.
#
# Debian's own Python 3.11 and HAProxy, from one base: bookworm ships both (HAProxy 2.6).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-venv haproxy ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && python3.11 -m venv "$VIRTUAL_ENV" \
    && useradd --create-home --uid 10001 playground

WORKDIR /app

# The dependencies first (their layer is rebuilt only when pyproject.toml changes); the
# app runs from /app, as `make run` runs it from the checkout, so the project itself is
# not installed.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir --disable-pip-version-check -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . ./
# The app copies plotly.js into static/ at start (ui/live/panel.py): its user may write there.
RUN chown -R playground:playground /app/static

USER playground
EXPOSE 8501

# /_stcore/health through HAProxy: "ok" once a worker answers. The hall starts its
# workers (a few seconds each, in parallel) before HAProxy listens: hence the start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

# The hall, on 8501; --workers from WORKERS when it is set. `exec`: the hall itself is
# PID 1, so `docker stop`'s SIGTERM reaches it (it stops HAProxy and the workers in order).
CMD ["sh", "-c", "exec python -m deploy.hall --port 8501 ${WORKERS:+--workers \"$WORKERS\"}"]
