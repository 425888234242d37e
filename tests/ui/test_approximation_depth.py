"""Width versus depth: the preset where trained depth wins (its claim, for its seed), the
pure helpers a lesson checker reads, and the sawtooth's teeth as a setting of the page."""

import pytest

from engine.approximation import (
    TrainSettings,
    compare_depths,
    equal_budget_architectures,
    make_target,
    param_count,
)
from ui.approximation.config import DEFAULTS, DEPTH_PRESET, SCHEMA
from ui.approximation.run import (
    DepthComparison,
    build_run,
    depth_outcome,
    depth_signature,
    depth_wins,
    preset_config,
    preset_url,
    reset_needed,
    settings_of,
    signature,
    target_of,
)
from ui.approximation.text import depth_verdict
from ui.live.link import decode


def config(**changes):
    return dict(DEFAULTS, **changes)


def test_the_preset_and_its_link():
    preset = preset_config()
    assert DEPTH_PRESET == {"target": "sawtooth", "teeth": 4, "n_samples": 1000, "budget": 200, "depth_epochs": 3000}
    assert preset == config(**DEPTH_PRESET)
    assert preset_url() == "/universal-approximation?target=sawtooth&n_samples=1000&budget=200"
    link = decode(SCHEMA, {"target": "sawtooth", "n_samples": "1000", "budget": "200"})
    assert link.config == preset and not link.notices


def test_at_the_preset_trained_depth_wins_for_its_seed():
    """The page's claim for the link's settings (seed 0): the two-layer network of the
    budget (the page's second) ends below the one wide layer (its first), by over 20 %.
    Trained as the page trains them, each from its own seed, so these two are the page's."""
    preset = preset_config()
    target, settings = target_of(preset), settings_of(preset)
    assert settings == TrainSettings()  # relu, spread, adam at 0.01, the whole training set, seed 0
    wide, deep = equal_budget_architectures(200, (1, 2))
    assert (wide, deep) == ((1, 66, 1), (1, 12, 12, 1))
    results = compare_depths(target, 200, (1, 2), epochs=3000, settings=settings)
    assert depth_wins(results)
    outcome = depth_outcome(results)
    assert outcome.shallow.sizes == wide and outcome.deep.sizes == deep
    assert outcome.deep.rmse < 0.8 * outcome.shallow.rmse
    assert (round(outcome.shallow.rmse, 4), round(outcome.deep.rmse, 4)) == (0.1962, 0.1565)  # the benchmark's seed 0
    again = compare_depths(target, 200, (1, 2), epochs=3000, settings=settings)
    assert [r.rmse for r in again] == [r.rmse for r in results]  # deterministic for the seed


class Result:
    def __init__(self, sizes, rmse, max_error=1.0):
        self.sizes, self.rmse, self.max_error = tuple(sizes), rmse, max_error
        self.n_params = param_count(sizes)

    @property
    def depth(self):
        return len(self.sizes) - 2


def test_depth_wins_and_the_outcome():
    wide, two, three = Result((1, 33, 1), 0.2), Result((1, 8, 8, 1), 0.15), Result((1, 6, 6, 6, 1), 0.1)
    outcome = depth_outcome([wide, two, three])
    assert outcome.wins and outcome.deep is three and outcome.shallow is wide and outcome.ratio == pytest.approx(2)
    assert depth_wins([wide, two, three]) and depth_wins([wide, two])
    assert not depth_wins([wide, Result((1, 8, 8, 1), 0.3)])
    assert not depth_wins([wide, Result((1, 8, 8, 1), 0.2)])  # a tie goes to the one layer
    comparison = DepthComparison(("sig",), "sawtooth", "sawtooth", 4, 100, 1000, 0, (wide, two))
    assert depth_wins(comparison)
    with pytest.raises(ValueError, match="one hidden layer and at least one deeper"):
        depth_outcome([two, three])
    with pytest.raises(ValueError, match="one hidden layer and at least one deeper"):
        depth_outcome([wide])


def test_the_verdict_says_who_won_with_the_numbers():
    wide, deep = Result((1, 66, 1), 0.19621, 2.0734), Result((1, 12, 12, 1), 0.15649, 1.9964)
    text = depth_verdict(depth_outcome([wide, deep]), 3000, 4)
    assert text.startswith("**Trained, depth won.** After 3,000 epochs each, 2 hidden layers of 12 (1-12-12-1,")
    assert "**0.1565** against **0.1962** for one hidden layer of 66 neurons" in text and "1.25 times lower" in text
    assert "Max error: 1.9964 deep, 2.0734 with one layer" in text
    assert "25 parameters in 4 layers of 2 relu neurons make 16 straight pieces" in text
    lost = depth_verdict(depth_outcome([Result((1, 66, 1), 0.1), Result((1, 12, 12, 1), 0.3)]), 1000, 2)
    assert lost.startswith("**Trained, one hidden layer won.**") and "**0.1000**" in lost and "**0.3000**" in lost
    assert "depth won" not in lost


def test_teeth_restart_and_count_only_for_the_sawtooth():
    saw = config(target="sawtooth")
    assert reset_needed(saw, dict(saw, teeth=8)) == ["Teeth of the sawtooth"]
    assert reset_needed(config(), config(teeth=8)) == []  # sin has no teeth
    assert signature(config()) == signature(config(teeth=8))
    assert signature(saw) != signature(dict(saw, teeth=8))
    assert depth_signature(saw) != depth_signature(dict(saw, budget=50))
    run = build_run(config(target="sawtooth", teeth=8, n_samples=40))
    assert run.target.label == "sawtooth with 8 teeth: 2(t − floor(t)) − 1, t = 2x"
    assert len(run.jumps) == 8  # 7 falls between teeth, and the one at x = 2
    assert target_of(config(teeth=16)).label == make_target("sin").label


def test_a_link_s_teeth_snap_to_the_offered_values():
    link = decode(SCHEMA, {"target": "sawtooth", "teeth": "7"})
    assert link.config["teeth"] == 8 and link.notices
    assert decode(SCHEMA, {"teeth": "lots"}).config["teeth"] == 4
