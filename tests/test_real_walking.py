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

from gait.pipeline import AnalysisOptions, analyze_track

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


OUTDOOR = "walk_side_outdoor.mp4"
#: The lower 55 % of the frame: the park's path, without the man on the roof of the hut.
OUTDOOR_PATH_REGION = (0.0, 0.45, 1.0, 1.0)


def test_outdoor_walker_is_found_when_the_man_on_the_hut_is_left_out(real_track):
    """On the whole frame MediaPipe follows a man on a hut's roof for 5.6 s and the clip is
    refused (test_real_footage); limited to the path, it follows the woman walking right to
    left (entering at about 1.6 s) and the clip is analysed as a side-view walk."""
    track = real_track(OUTDOOR, region=OUTDOOR_PATH_REGION)
    result = analyze_track(track).to_dict()
    assert result["view"]["view"] == "side-left" and result["gait_mode"] == "walking"
    assert 70 <= result["summary"]["cadence_spm"]["value"] <= 130
    assert len(result["events"]) >= 6
    start, end = result["segment_s"]
    hip_x = 0.5 * (track.xy_px[:, 23, 0] + track.xy_px[:, 24, 0])
    inside = (track.t_s >= start) & (track.t_s <= end)
    # she crosses most of the 1768 px frame from right to left within the analysed part
    assert np.nanmax(hip_x[inside]) - np.nanmin(hip_x[inside]) > 900
    assert np.polyfit(track.t_s[inside & np.isfinite(hip_x)],
                      hip_x[inside & np.isfinite(hip_x)], 1)[0] < -150  # px/s, leftwards


def test_outdoor_walker_step_length_from_her_height_against_the_camera_calibration(
        real_track, shared_videos):
    """The clip's truth is a scale: a camera calibration (focal length in pixels, the walker's
    plane 10 m away) and her height, 1.65 m. Her true step length is the distance her pelvis
    travels per step in that scale; gait, given only her height, must land within its stated
    95 % band (twice the expected error) of it."""
    import tomllib

    calib = tomllib.loads((shared_videos / "walk_side_outdoor.calib.toml").read_text())["demo"]
    px_per_m = calib["matrix"][0][0] / calib["translation"][2]
    track = real_track(OUTDOOR, region=OUTDOOR_PATH_REGION)
    result = analyze_track(track, options=AnalysisOptions(height_m=1.65)).to_dict()
    ics = [e["ic_idx"] for e in result["events"]]
    hip_x = 0.5 * (track.xy_px[:, 23, 0] + track.xy_px[:, 24, 0])
    true_step_m = abs(hip_x[ics[-1]] - hip_x[ics[0]]) / (len(ics) - 1) / px_per_m
    s = result["summary"]["step_length_m"]
    print(f"outdoor walker: step length {s['value']:.3f} ± {s['expected_error']:.3f} m "
          f"(approximate) for {true_step_m:.3f} m from the calibration "
          f"({100 * (s['value'] / true_step_m - 1):+.1f} %); body-height scale "
          f"{result['scale']['px_per_m']:.1f} px/m for {px_per_m:.1f}")
    assert s["approximate"]
    assert abs(s["value"] - true_step_m) <= 2 * s["expected_error"]
