"""Walking: gait type and walking events on synthetic walkers with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from accuracy import match_events
from gait import landmarks as lm
from gait.clean import clean_track
from gait.errors import InvalidOptionError, TooFewStepsError
from gait.events import detect_view, select_steady_segment
from gait.pipeline import AnalysisOptions, analyze_track
from gait.synth import SynthParams, synthetic_track
from gait.walking import classify_gait, ground_velocity_px_s

#: A walker on a treadmill, and one crossing a wide frame in front of a fixed camera
#: (far enough that the body stays side-on from one edge to the other).
TREADMILL = dict(gait="walking", belt_speed_kmh=4.5, duration_s=10)
OVERGROUND = dict(TREADMILL, overground=True, belt_speed_kmh=4.0, duration_s=7, width_px=1920,
                  height_px=540, body_height_frac=0.5, camera_distance_m=10.0)


def _walker(where: str, **kw) -> SynthParams:
    return SynthParams(**{**(OVERGROUND if where == "overground" else TREADMILL), **kw})


def _analyse(params: SynthParams, **corruption) -> tuple[dict, dict]:
    track, truth = synthetic_track(params, **corruption)
    belt = None if params.overground else truth["belt_speed_ms"]
    return analyze_track(track, options=AnalysisOptions(belt_speed_ms=belt)).to_dict(), truth


@pytest.mark.parametrize("where", ["treadmill", "overground"])
@pytest.mark.parametrize("fps", [30, 60, 120])
@pytest.mark.parametrize("cadence, asymmetry, duty", [(100, 0.0, 0.64), (125, -15.0, 0.66)])
def test_clean_walker_events_and_metrics(where, fps, cadence, asymmetry, duty):
    params = _walker(where, fps=fps, cadence_spm=cadence, step_time_asymmetry_pct=asymmetry,
                     duty_factor=duty, seed=int(fps + cadence))
    result, truth = _analyse(params)
    assert result["gait_mode"] == "walking"
    # contacts that can be timed: a swing's worth of clip before the IC (0.2 s) and the
    # samples after the TO that time it (0.1 s); the rest are cut by the clip's ends
    end_s = truth["events_window_s"][1]
    timeable = [e for e in truth["events"] if e["ic_s"] >= 0.2 and e["to_s"] <= end_s - 0.1]
    errors = match_events(result["events"], timeable)
    # one frame; at 120 fps the larger of one frame and 15 ms (toe-offs come up to 11 ms early)
    tol_s = max(1.0 / fps, 0.015 if fps >= 120 else 0.0)
    ic_ok, to_ok = errors.fraction_within(tol_s)
    tol_ms = tol_s * 1000
    assert ic_ok >= 0.9, f"IC within {tol_ms:.0f} ms: {ic_ok:.0%}, errors {errors.ic_s * 1000}"
    assert to_ok >= 0.9, f"TO within {tol_ms:.0f} ms: {to_ok:.0%}, errors {errors.to_s * 1000}"
    s = result["summary"]
    assert s["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"], abs=0.2)
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(
        asymmetry, abs=1.5)
    assert s["duty_factor_pct"]["value"] == pytest.approx(100 * duty, abs=1.5)
    assert s["contact_time_ms"]["value"] == pytest.approx(1000 * truth["contact_time_s"], abs=10)
    assert s["flight_time_ms"]["value"] is None  # a walker has no flight
    if where == "treadmill":
        assert s["stride_length_m"]["value"] == pytest.approx(truth["stride_length_m"], rel=0.02)


@pytest.mark.parametrize("params", [
    SynthParams(duration_s=10),  # runner on a treadmill, 30 fps, 170 steps/min
    SynthParams(duration_s=10, fps=60, cadence_spm=185, facing="right", noise_px=1.0, seed=4),
    _walker("treadmill", cadence_spm=110, duty_factor=0.62),
    _walker("overground", cadence_spm=110, duty_factor=0.62),
    _walker("overground", fps=60, cadence_spm=100, duty_factor=0.64, facing="right"),
], ids=["run-treadmill", "run-treadmill-60fps-noisy", "walk-treadmill", "walk-overground",
        "walk-overground-60fps"])
def test_step_length_without_belt_speed_comes_from_body_height(params):
    """Issue 3: step length from a body-height scale when no belt speed is given, marked
    approximate; on exact landmarks the runner's speed over the ground (pelvis plus stance
    foot) divided by the scale recovers it within 2 %."""
    track, truth = synthetic_track(params)
    result = analyze_track(track, options=AnalysisOptions(height_m=truth["height_m"])).to_dict()
    for key, true in (("step_length_m", truth["stride_length_m"] / 2),
                      ("stride_length_m", truth["stride_length_m"])):
        s = result["summary"][key]
        assert s["value"] == pytest.approx(true, rel=0.02), key
        assert s["approximate"] and "body-height scale" in s["note"]
        assert 0.05 * true < s["expected_error"] < 0.15 * true  # scale and speed errors
    assert result["summary"]["vertical_ratio_pct"]["value"] is None  # needs a belt speed
    unscaled = analyze_track(track).to_dict()["summary"]["step_length_m"]
    assert unscaled["value"] is None and unscaled["n"] == 0


@pytest.mark.parametrize("where", ["treadmill", "overground"])
@pytest.mark.parametrize("fps, noise_px", [(30, 1.0), (60, 1.5)])
def test_noisy_walker_keeps_cadence_and_gait_type(where, fps, noise_px):
    """With landmark jitter, dropouts and foot swaps cadence stays exact.

    Event timing does not: jitter of 1-1.5 px delays the toe-off (the toe
    leaves its footprint slowly), so contact time reads 20-50 ms long and
    step-time asymmetry is off by up to about 5 points (see the report).
    """
    params = _walker(where, fps=fps, noise_px=noise_px, cadence_spm=110,
                     step_time_asymmetry_pct=8.0, duty_factor=0.62, seed=11)
    result, truth = _analyse(params, dropout_frac=0.03, swap_runs=3)
    assert result["gait_mode"] == "walking"
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"],
                                                                      abs=0.2)
    assert result["summary"]["duty_factor_pct"]["value"] > 50
    assert result["summary"]["flight_time_ms"]["value"] is None


@pytest.mark.parametrize("fps, cadence, duty, noise_px", [
    (30, 150, 0.38, 1.0), (30, 200, 0.30, 1.5), (120, 170, 0.36, 1.0), (240, 185, 0.33, 0.0)])
def test_runners_are_classified_as_running(fps, cadence, duty, noise_px):
    track, _ = synthetic_track(SynthParams(fps=fps, cadence_spm=cadence, duty_factor=duty,
                                           belt_speed_kmh=8.0, noise_px=noise_px, duration_s=6,
                                           seed=3))
    filtered, _ = clean_track(track)
    view = detect_view(filtered)
    gait = classify_gait(filtered, view=view, segment=select_steady_segment(filtered))
    assert gait.mode == "running"
    assert gait.flight > gait.double_support
    assert gait.duty_factor < 0.5


@pytest.mark.parametrize("where", ["treadmill", "overground"])
def test_walkers_are_classified_as_walking_and_the_ground_speed_is_found(where):
    params = _walker(where, fps=60, cadence_spm=105, duty_factor=0.6, noise_px=1.0)
    track, truth = synthetic_track(params)
    filtered, _ = clean_track(track)
    view = detect_view(filtered)
    gait = classify_gait(filtered, view=view, segment=select_steady_segment(filtered))
    assert gait.mode == "walking"
    assert gait.double_support > gait.flight
    # the ground stands still overground; on a treadmill it moves back at belt speed
    expected = 0.0 if params.overground else -truth["belt_speed_ms"] * truth["px_per_m"]
    assert gait.ground_speed_px_s == pytest.approx(expected, abs=0.05 * truth["belt_speed_ms"]
                                                   * truth["px_per_m"])


def test_ground_velocity_is_the_most_common_velocity():
    rng = np.random.default_rng(0)
    rest = rng.normal(-300.0, 5.0, 600)  # a foot at rest on a belt, 60 % of the time
    swing = rng.uniform(-300.0, 900.0, 400)
    assert ground_velocity_px_s(np.concatenate([rest, swing]), bin_px_s=20.0) == pytest.approx(
        -300.0, abs=3.0)
    assert np.isnan(ground_velocity_px_s(np.array([np.nan]), bin_px_s=20.0))


def test_synthetic_walker_has_double_support_and_no_flight():
    params = _walker("treadmill", cadence_spm=110, duty_factor=0.62, duration_s=4)
    _, truth = synthetic_track(params)
    assert truth["gait"] == "walking"
    assert truth["flight_time_s"] == 0.0
    assert truth["double_support_s"] == pytest.approx((0.62 - 0.5) * 120 / 110)
    ic = {e["foot"]: e for e in truth["events"]}
    assert all(e["to_s"] - e["ic_s"] > 60 / 110 for e in ic.values())  # contact > step time


@pytest.mark.parametrize("bad", [
    {"gait": "walking", "duty_factor": 0.45}, {"gait": "walking", "duty_factor": 0.52,
                                              "step_time_asymmetry_pct": 10.0},
    {"gait": "walking", "belt_speed_kmh": 10.0}, {"gait": "walking", "cadence_spm": 170.0},
    {"gait": "hopping"}, {"overground": "yes"}, {"overground": True, "view": "rear"},
])
def test_invalid_walker_params_are_refused(bad):
    kwargs = {"duty_factor": 0.62, "belt_speed_kmh": 4.5, "cadence_spm": 110.0} \
        if bad.get("gait") == "walking" else {}
    with pytest.raises(InvalidOptionError, match="must|double support"):
        SynthParams(**{**kwargs, **bad})


def test_walker_warnings_do_not_mention_flight_or_a_runner():
    result, _ = _analyse(_walker("treadmill", fps=30, cadence_spm=110.0, duty_factor=0.62),
                         dropout_frac=0.08)
    low_fps = next(w for w in result["warnings"] if w.startswith("low frame rate"))
    assert "contact time, duty factor" in low_fps and "flight" not in low_fps
    assert not any("runner" in w for w in result["warnings"])
    assert any("walker was not found" in w for w in result["warnings"])


def test_walker_too_short_to_analyse_is_not_called_a_runner():
    """Refusals come before the gait is known, so they speak of the person."""
    with pytest.raises(TooFewStepsError, match="person's legs are fully tracked") as error:
        _analyse(_walker("treadmill", duration_s=2.0))
    assert "runner" not in str(error.value)


def test_walker_states_the_pose_models_errors_measured_on_walkers():
    """MediaPipe reads a walker's angles and contact times worse than a runner's (eight
    rendered walkers, `WALKING_POSE_MODEL_ERROR`: a knee landing nearly straight reads up to
    7° more bent); a walker's summary states those errors, a runner's the runners'."""
    from gait.metrics import POSE_MODEL_ERROR, WALKING_POSE_MODEL_ERROR

    walker, _ = _analyse(_walker("treadmill", fps=60, cadence_spm=100, duty_factor=0.64))
    runner_track, truth = synthetic_track(SynthParams(fps=60, duration_s=10))
    runner = analyze_track(runner_track, options=AnalysisOptions(
        belt_speed_ms=truth["belt_speed_ms"])).to_dict()
    for result, errors in ((walker, WALKING_POSE_MODEL_ERROR), (runner, POSE_MODEL_ERROR)):
        for name in ("knee_flexion_ic_deg", "contact_time_ms", "shin_angle_deg"):
            s = result["summary"][name]
            assert s["pose_error"] == errors[name]
            assert s["expected_error"] >= errors[name]
    knee = "knee_flexion_ic_deg"
    assert walker["summary"][knee]["expected_error"] > 2 * runner["summary"][knee]["expected_error"]


def test_walker_crossing_a_narrow_frame_is_judged_from_the_frames_that_show_them():
    """Crossing the default 640 px frame, the walker is in the picture for under 2 s of 10.
    Far off to either side the camera sees the body obliquely, shoulders apart, and the view
    used to be judged from those frames too: the clip was read as a rear view and a rear-view
    report written about a person mostly outside the picture. Now the view comes from the
    frames that show the torso, and the clip is refused for too little time in frame."""
    params = SynthParams(gait="walking", cadence_spm=110, duty_factor=0.6, overground=True,
                         belt_speed_kmh=4.0, duration_s=10)
    track, truth = synthetic_track(params)
    hips_x = track.xy_px[:, [lm.LEFT_HIP, lm.RIGHT_HIP], 0]
    assert np.mean(((hips_x > 0) & (hips_x < params.width_px)).all(axis=1)) < 0.3
    assert detect_view(track).view == f"side-{truth['near_side']}"
    with pytest.raises(TooFewStepsError, match=r"in frame for only 1\.\d s at a stretch \(need 2"):
        analyze_track(track, options=AnalysisOptions(height_m=truth["height_m"]))


def test_walking_back_the_same_way_backwards_is_cut_from_the_segment():
    """A walker crosses the frame, then retraces the path backwards (the same clip played in
    reverse: facing the same way, travelling the other). Backward travel is not the gait
    analysed; the real clip walk_side_turns.mp4 ends like this, and the longer backward part
    was the one kept once the steady rhythm was looked for."""
    forward, truth = synthetic_track(_walker("overground", cadence_spm=100, duty_factor=0.64,
                                             seed=3))
    n = forward.n_frames
    track = forward.with_changes(
        "played forwards, then backwards", xy_px=np.concatenate([forward.xy_px, forward.xy_px[::-1]]),
        visibility=np.concatenate([forward.visibility, forward.visibility[::-1]]),
        t_s=np.arange(2 * n) / forward.fps, frame_idx=np.arange(2 * n), world_m=None)
    start, stop = select_steady_segment(clean_track(track)[0])
    assert stop <= n + 0.5 * forward.fps and stop - start >= n - 0.5 * forward.fps
    result = analyze_track(track).to_dict()
    assert result["segment_s"][1] <= forward.t_s[-1] + 0.5
    assert result["gait_mode"] == "walking"
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"], abs=0.2)
