"""Walking on real footage in ../shared/videos (skipped when absent).

The two living-room clips are labelled only ("normal", "limping"), so the
checks are plausibility (walking, double support, a walking cadence) and a
comparison: the limping walk's step-time asymmetry is clearly higher.

"Clearly", fixed before the comparison was run: the limping clip's
|symmetry index| exceeds the normal clip's by more than twice the standard
error of that difference. Each clip's SI error comes from its per-step
step times by the delta method, SE(SI) = 200 / (L + R) · σ · √(1/n_L +
1/n_R), with σ the per-step step-time SD pooled over both clips and both
feet (the normal clip has a single left step, so no spread of its own).
"""

from __future__ import annotations

import numpy as np
import pytest

from gait.pipeline import analyze_track

pytestmark = [pytest.mark.slow, pytest.mark.real]

NORMAL, LIMPING = "walk_side_normal.mp4", "walk_side_limping.mp4"


@pytest.fixture(scope="module")
def walks(real_track) -> dict[str, dict]:
    return {name: analyze_track(real_track(name)).to_dict() for name in (NORMAL, LIMPING)}


def _step_times_ms(result: dict) -> dict[str, np.ndarray]:
    return {side: np.array([s["step_time_ms"] for s in result["steps"]
                            if s["foot"] == side and s["step_time_ms"] is not None])
            for side in ("left", "right")}


@pytest.mark.parametrize("name", [NORMAL, LIMPING])
def test_walking_clip_is_walking_with_walking_values(walks, name):
    r = walks[name]
    s = r["summary"]
    assert r["gait_mode"] == "walking"
    assert s["duty_factor_pct"]["value"] > 50  # double support, as in every walk
    assert s["flight_time_ms"]["value"] is None  # no flight time for a walker
    assert 70 <= s["cadence_spm"]["value"] <= 130  # steps/min of an indoor walk
    assert s["contact_time_ms"]["value"] > s["step_time_ms"]["value"]
    # every step is a real one: no left/right step shorter than a third of the stride
    steps = np.concatenate(list(_step_times_ms(r).values()))
    assert steps.size >= 3
    assert steps.min() > 1000 * 60 / s["cadence_spm"]["value"] / 1.5


def test_limping_step_time_asymmetry_clearly_higher_than_normal(walks):
    steps = {name: _step_times_ms(r) for name, r in walks.items()}
    deviations = [v - v.mean() for per_side in steps.values() for v in per_side.values()]
    dof = sum(v.size - 1 for per_side in steps.values() for v in per_side.values())
    sd_ms = float(np.sqrt(sum(np.sum(d ** 2) for d in deviations) / dof))

    def si_and_se(name: str) -> tuple[float, float]:
        left, right = steps[name]["left"], steps[name]["right"]
        total = left.mean() + right.mean()
        si = walks[name]["asymmetry"]["step_time_ms"]["symmetry_index_pct"]
        return abs(si), 200.0 / total * sd_ms * np.sqrt(1 / left.size + 1 / right.size)

    si_limp, se_limp = si_and_se(LIMPING)
    si_norm, se_norm = si_and_se(NORMAL)
    margin = 2.0 * float(np.hypot(se_limp, se_norm))
    assert si_limp - si_norm > margin, (
        f"|SI| limping {si_limp:.1f} ± {se_limp:.1f}, normal {si_norm:.1f} ± {se_norm:.1f} "
        f"(pooled step SD {sd_ms:.0f} ms): difference {si_limp - si_norm:.1f} points, "
        f"needs > {margin:.1f}")


def test_treadmill_runner_is_still_running(real_track):
    result = analyze_track(real_track("treadmill_side_30fps.mp4")).to_dict()
    assert result["gait_mode"] == "running"
    assert result["summary"]["flight_time_ms"]["value"] > 0
