"""The served app's Streamlit settings for a public audience (issue 20): errors show a
message, not the server's file system, and uploads are refused past what the app uses."""

import tomllib
from pathlib import Path

from engine.csv_data import MAX_BYTES
from ui.lessons.run import MAX_FILE_BYTES
from ui.playground.export import MAX_CONFIG_BYTES, MAX_WEIGHTS_BYTES

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
MB = 2**20  # Streamlit's upload sizes are in MB of 2^20 bytes


def test_error_details_are_hidden_from_visitors():
    # "none": a generic message; "full" (the default) shows the traceback with its file paths
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_uploads_are_limited_to_what_the_loaders_take():
    limit = CONFIG["server"]["maxUploadSize"] * MB
    largest = max(MAX_BYTES, MAX_WEIGHTS_BYTES, MAX_CONFIG_BYTES, MAX_FILE_BYTES)
    assert largest <= limit < largest + MB  # every file the app can use, and not a megabyte more


def test_the_served_config_is_the_one_streamlit_reads():
    from streamlit import config

    config.get_config_options(force_reparse=True)
    assert config.get_option("client.showErrorDetails") == "none"
    assert config.get_option("server.maxUploadSize") == CONFIG["server"]["maxUploadSize"]


def test_an_error_in_a_page_shows_no_message_type_or_path(tmp_path):
    from streamlit.testing.v1 import AppTest

    page = tmp_path / "failing_page.py"
    page.write_text('raise ValueError("details of /srv/app/secret.py")\n')
    at = AppTest.from_file(str(page))
    at.run()
    shown = at.exception[0]
    assert "/srv/app" not in shown.message and "ValueError" not in shown.message
    assert not shown.stack_trace and shown.proto.type != "ValueError"  # the details go to the log only
