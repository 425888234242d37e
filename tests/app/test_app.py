"""AppTest for the entry page."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_page_runs_and_training_lowers_the_loss():
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    at.number_input[0].set_value(200)
    at.button[0].click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Epoch"] == "200"
    assert float(metrics["Test accuracy"].rstrip("%")) > 90
    assert not at.error
