"""Running over still ground: a runner crossing the frame of a fixed camera.

Issue 3 outcome 2 asks for treadmill and overground running alike. The runner
here crosses a 1920 px wide frame filmed from 8 m (a 58° lens) or from 4 m (a 96°
lens, a phone's ultrawide camera), so about 3 s of running, 6-8 timeable contacts,
lie in the frame, as in a clip of a runner passing along a hallway or a track.
"""

from __future__ import annotations

import numpy as np
import pytest

from accuracy import (CADENCE_TOL_SPM, CROSSING, EVENT_SHARE_MIN, SI_TOL_POINTS, match_events,
                      timeable_events, whole_body_in_frame)
from gait.events import FRONTAL_SHOULDER_RATIO, crosses_frame, crossing_scale, detect_view
from gait.landmarks import LEG
from gait.metrics import (CROSSING_ASYMMETRY_NOTE, CROSSING_CADENCE_ERROR_SPM,
                          CROSSING_ERRORS, CROSSING_VERDICT, crossing_note)
from gait.pipeline import CROSSING_RUNNER_WARNING, AnalysisOptions, analyze_track
from gait.summary import format_summary
from gait.synth import SynthParams, synthetic_track

CAMERA_DISTANCE_M = CROSSING["camera_distance_m"]


def _exact_inputs(params: SynthParams) -> tuple[np.ndarray, dict, dict, dict, dict]:
    """Times, toe positions along the running direction, true contacts and all-trusted masks."""
    track, truth = synthetic_track(params)
    facing = 1.0 if params.facing == "right" else -1.0
    toe = {f: facing * track.xy_px[:, LEG[f][4], 0] for f in ("left", "right")}
    first = {f: (np.array([e["ic_s"] for e in truth["events"] if e["foot"] == f]),
                 np.array([e["to_s"] for e in truth["events"] if e["foot"] == f]))
             for f in ("left", "right")}
    trusted = {f: np.ones(v[0].size, bool) for f, v in first.items()}
    return track.t_s, toe, first, trusted, truth


def test_crossing_scale_is_the_feet_perspective_ratio():
    """The footprints of the far foot advance across the image by fewer pixels per stride."""
    params = SynthParams(**CROSSING, fps=60, facing="right", seed=2)
    t, toe, first, trusted, truth = _exact_inputs(params)
    scale = crossing_scale(t, toe, first, trusted)
    # the synthetic feet are a hip half-width either side of the running plane
    half_width_m = 0.055 * truth["height_m"]
    ratio = (CAMERA_DISTANCE_M + half_width_m) / (CAMERA_DISTANCE_M - half_width_m)
    near, far = truth["near_side"], "left" if truth["near_side"] == "right" else "right"
    assert scale[near] == pytest.approx(np.sqrt(ratio), rel=2e-4)
    assert scale[far] == pytest.approx(1 / np.sqrt(ratio), rel=2e-4)


def test_crossing_scale_is_none_on_a_treadmill():
    params = SynthParams(fps=60, duration_s=6.0, seed=2)
    assert crossing_scale(*_exact_inputs(params)[:4]) is None


@pytest.mark.parametrize("facing", ["left", "right"])
def test_runner_crossing_a_wide_angle_frame_is_a_side_view(facing):
    """Through a 96° lens 4 m away the runner is seen obliquely over much of the frame, so
    the shoulders look as far apart as from the front; crossing the frame at a steady
    distance, the runner is still a side view (before, such a clip was analysed as a front
    or rear view: pelvic drop and step width of a runner seen side-on)."""
    params = SynthParams(**dict(CROSSING, camera_distance_m=4.0), fps=60, facing=facing, seed=1)
    track, _ = synthetic_track(params)
    view = detect_view(track)
    assert view.shoulder_ratio > FRONTAL_SHOULDER_RATIO
    assert (view.view, view.facing, view.near_side) == (
        f"side-{facing}", 1 if facing == "right" else -1, facing)


def test_crossing_runner_speed_ignores_the_stance_foot_drifting():
    """Over still ground the running speed is the pelvis's alone: the near foot's landmarks
    drifting backwards in stance (MediaPipe's did, by 3-9 % of the speed, on rendered walkers)
    leave the body-height stride length as it was; added to the pelvis's speed, as on a
    treadmill, a drift of 6 % of the speed lengthens it by about as much."""
    params = SynthParams(**CROSSING, fps=60, seed=1)
    track, truth = synthetic_track(params)
    near = truth["near_side"]
    speed_px_s = truth["belt_speed_ms"] * truth["px_per_m"]
    xy = track.xy_px.copy()
    facing = 1.0 if params.facing == "right" else -1.0
    for e in truth["events"]:
        stance = (track.t_s >= e["ic_s"]) & (track.t_s <= e["to_s"])
        if e["foot"] == near:
            drift = 0.06 * speed_px_s * (track.t_s[stance] - e["ic_s"])
            xy[np.ix_(stance, LEG[near][2:], [0])] -= facing * drift[:, None, None]
    options = AnalysisOptions(height_m=truth["height_m"])
    plain = analyze_track(track, options=options).summary["stride_length_m"]["value"]
    drifting = analyze_track(track.with_changes("near foot drifts backwards in stance", xy_px=xy),
                             options=options).summary["stride_length_m"]["value"]
    assert drifting == pytest.approx(plain, rel=0.005)


@pytest.mark.parametrize("where", ["crossing", "treadmill"])
def test_runner_crossing_the_frame_is_told_its_numbers_are_rough(where):
    """The pose model's errors on rendered crossing runners (scripts/overground_accuracy.py:
    cadence up to 3.4 steps/min, step-time SI up to 29 points, contact time up to 160 ms, knee
    flexion at contact up to 8° off) are far larger than on a treadmill. A crossing runner's
    result warns of it, states at least those errors, and calls no timing-based left/right
    difference a finding, even a true 15 % at 120 fps that the same runner on a treadmill
    shows as one."""
    params = SynthParams(**(CROSSING if where == "crossing" else {}), fps=120,
                         step_time_asymmetry_pct=15.0, seed=1)
    track, truth = synthetic_track(params)
    options = (AnalysisOptions(height_m=truth["height_m"]) if where == "crossing" else
               AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    analysed = analyze_track(track, options=options)
    result = analysed.to_dict()
    step_time = result["asymmetry"]["step_time_ms"]
    assert step_time["symmetry_index_pct"] == pytest.approx(15.0, abs=SI_TOL_POINTS)
    crossing = where == "crossing"
    assert result["view"]["crosses_frame"] == crossing
    assert (CROSSING_RUNNER_WARNING in result["warnings"]) == crossing
    assert (result["summary"]["cadence_spm"]["expected_error"]
            >= CROSSING_CADENCE_ERROR_SPM) == crossing
    for name, (error, _) in CROSSING_ERRORS.items():
        metric = result["summary"][name]
        assert (metric["expected_error"] >= error) == crossing, name
        assert (crossing_note(name) in metric["note"]) == crossing
        assert metric["approximate"] or not crossing
    assert step_time["detectable"] != crossing
    assert (step_time["note"] == CROSSING_ASYMMETRY_NOTE) == crossing
    verdict = f"({CROSSING_VERDICT})"
    assert any(line.startswith("  Step time") and line.endswith(verdict)
               for line in format_summary(analysed).splitlines()) == crossing


def test_crossing_the_frame_means_travelling_across_it_at_a_steady_size():
    frames = np.linspace(0.0, 1.0, 90)
    steady = np.full(frames.size, 100.0)  # torso length, px
    assert crosses_frame(200 + 600 * frames, steady)  # 6 torso lengths across
    assert not crosses_frame(200 + 200 * frames, steady)  # 2: a runner drifting
    assert not crosses_frame(np.full(frames.size, 500.0), steady)  # a treadmill
    # as far across, but growing to twice the size: coming closer on a diagonal
    assert not crosses_frame(200 + 600 * frames, 100 * (1 + frames))


#: The noisy conditions of tests/test_events.py: fps, cadence (steps/min), step-time
#: asymmetry (%), landmark noise (px), share of frames dropped; with leg swaps too.
CONDITIONS = ((30, 150, 0.0, 1.0, 0.05), (30, 200, 15.0, 1.5, 0.05),
              (60, 170, 5.0, 1.0, 0.05), (60, 185, -10.0, 2.0, 0.03),
              (120, 160, 10.0, 1.0, 0.05), (240, 175, 15.0, 1.5, 0.05))
SEEDS = tuple(range(5))
#: Camera distances (m) of the grid below: a 58° and a 96° lens, the runner equally
#: large in the frame.
DISTANCES_M = (8.0, 4.0)
#: Measured shortfalls, by (fps, cadence, seed, camera distance in m). With 5-8
#: contacts in the frame, the events' common timing (one shift shared by all
#: landings, or all lift-offs, of a clip) rests on few events: over 20 draws at
#: 240 fps it scatters by 1.4 ms for the landings and 3.1 ms for the lift-offs (one
#: frame is 4.2 ms; 1.5 ms from about forty lift-offs on the 10 s treadmill tracks).
#: At 60 fps with 2 px jitter the lift-offs keep their first guesses' common timing
#: (`gait.event_timing.align_feet`), +7.2 ms late on average with an SD of 5.2 ms over
#: 20 draws since those guesses come from the filtered foot height (+8.8 and 6.9 ms
#: from the unfiltered, which put three of these runs a frame late).
_SI_OUTLIER = ("step-time SI 2.7 points off: one of the five landings in the frame lies "
               "+16.2 to +16.4 ms late where the other four lie +5 to +9 ms, and with two or "
               "three landings a side one outlier moves the SI")
SHORTFALL = {
    (30, 150, 2, 8.0): _SI_OUTLIER,
    (30, 150, 2, 4.0): _SI_OUTLIER,
    (240, 175, 4, 8.0): "IC within one frame 86 %: the landings lie +3.3 ms off in common, one "
                        "of seven beyond 4.2 ms",
    (240, 175, 4, 4.0): "IC within one frame 83 %: the landings lie +3.2 ms off in common, one "
                        "of six beyond 4.2 ms",
}


def _grid_param(cond: tuple, seed: int, distance_m: float):
    key = (*cond[:2], seed, distance_m)
    marks = pytest.mark.xfail(strict=True, reason=SHORTFALL[key]) if key in SHORTFALL else ()
    return pytest.param(*cond, seed, distance_m, marks=marks)


@pytest.mark.parametrize("fps, cadence, asymmetry, noise_px, dropout, seed, distance_m", [
    _grid_param(cond, seed, distance_m)
    for distance_m in DISTANCES_M for cond in CONDITIONS for seed in SEEDS
])
def test_runner_crossing_the_frame_meets_the_issue_bar(fps, cadence, asymmetry, noise_px,
                                                       dropout, seed, distance_m):
    """Issue 3 outcome 6 over still ground: IC and TO within one frame for 90 % of the
    contacts in the frame, cadence within 0.2 steps/min, step-time SI within 1.5 points
    (no belt speed, so stride length comes from body height and is only approximate),
    seen as a side view facing the way the runner runs."""
    params = SynthParams(**dict(CROSSING, camera_distance_m=distance_m), fps=fps,
                         cadence_spm=cadence, step_time_asymmetry_pct=asymmetry,
                         noise_px=noise_px, facing=("left", "right")[seed % 2], seed=seed)
    track, truth = synthetic_track(params, dropout_frac=dropout, swap_runs=2)
    exact, _ = synthetic_track(params)
    result = analyze_track(track, options=AnalysisOptions(height_m=truth["height_m"])).to_dict()
    assert result["view"]["view"] == f"side-{params.facing}"
    timeable = timeable_events(truth, exact.xy_px, exact.t_s, params.width_px)
    assert len(timeable) >= 5
    errors = match_events(result["events"], timeable)
    ic_ok, to_ok = errors.fraction_within(1.0 / fps)
    assert ic_ok >= EVENT_SHARE_MIN, f"IC within one frame: {ic_ok:.0%}, ms {errors.ic_s * 1e3}"
    assert to_ok >= EVENT_SHARE_MIN, f"TO within one frame: {to_ok:.0%}, ms {errors.to_s * 1e3}"
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"],
                                                                      abs=CADENCE_TOL_SPM)
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(
        asymmetry, abs=SI_TOL_POINTS)
    stride = result["summary"]["stride_length_m"]
    assert stride["approximate"]
    assert abs(stride["value"] - truth["stride_length_m"]) <= stride["expected_error"]


def test_crossing_runner_is_advised_at_the_speed_estimated_from_body_height():
    """Over ground there is no belt: the report gives the speed estimated from the body
    height, judges the cadence against it (180 steps/min is already high at the 2.98 m/s
    assumed without a speed, not at 3.6 m/s) and asks for no belt speed."""
    from gait.advice import high_cadence_threshold_spm
    from gait.report import build_content
    from gait.report.content import NO_SPEED_OVER_GROUND

    params = SynthParams(**CROSSING, fps=120, cadence_spm=180.0, belt_speed_kmh=13.0, seed=1)
    track, truth = synthetic_track(params)
    content = build_content(analyze_track(track, options=AnalysisOptions(
        height_m=truth["height_m"])))
    speed_ms = truth["belt_speed_ms"]
    assert high_cadence_threshold_spm() < 180.0 < high_cadence_threshold_spm(speed_ms)
    facts = dict(content.clip_facts)
    assert "Belt speed" not in facts and facts["Speed"].startswith("over ground, about ")
    estimated = float(facts["Speed"].split("about ")[1].split(" m/s")[0])
    assert estimated == pytest.approx(speed_ms, abs=0.15)
    prescription = content.prescription
    assert not prescription.already_high
    assert prescription.high_cadence_threshold_spm == pytest.approx(
        high_cadence_threshold_spm(speed_ms), abs=1.0)
    assert "estimated from the video and the body height" in prescription.summary.text
    assert content.lengths_note == NO_SPEED_OVER_GROUND
    [symmetry] = [item for item in content.checklist if item.key == "stride_symmetry"]
    assert symmetry.basis.startswith(CROSSING_VERDICT)


@pytest.mark.parametrize("fps", [30, 60])
def test_crossing_runner_contact_inside_a_dropout_is_recovered(fps):
    """A runner crossing the frame is untracked before it enters and after it leaves, so
    its ankles are missing in over half the clip; the stride period that fills a long
    gap from the neighbouring strides is read over the tracked span (before, it was
    not read at all, and a landing inside a 0.23 s dropout was lost)."""
    params = SynthParams(**CROSSING, fps=fps, cadence_spm=170.0, seed=1)
    track, truth = synthetic_track(params)
    xy, vis = track.xy_px.copy(), track.visibility.copy()
    outside = ~whole_body_in_frame(xy, params.width_px)
    xy[outside], vis[outside] = np.nan, np.nan
    assert outside.mean() > 0.5
    timeable = timeable_events(truth, track.xy_px, track.t_s, params.width_px)
    lost = timeable[len(timeable) // 2]
    frames = round(0.23 * fps)
    first = int(lost["ic_s"] * fps) - frames // 3
    xy[first:first + frames], vis[first:first + frames] = np.nan, np.nan
    result = analyze_track(track.with_changes("out of view, and a dropout", xy_px=xy,
                                              visibility=vis),
                           options=AnalysisOptions(height_m=truth["height_m"])).to_dict()
    assert result["cleaning"]["samples_filled_from_strides"] >= frames * 33
    found = [e for e in result["events"]
             if e["foot"] == lost["foot"] and abs(e["ic_s"] - lost["ic_s"]) <= 1 / fps]
    assert len(found) == 1
    assert abs(found[0]["to_s"] - lost["to_s"]) <= 1 / fps
    same_foot = [e["confidence"] for e in result["events"] if e["foot"] == lost["foot"]]
    assert found[0]["confidence"] < 0.8 * np.median(same_foot)
