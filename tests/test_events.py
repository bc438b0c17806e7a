"""Gait events and metrics on synthetic landmark tracks with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from accuracy import (CADENCE_TOL_SPM, EVENT_SHARE_MIN, SI_TOL_POINTS, STRIDE_TOL_REL,
                      match_events)
from gait.clean import clean_track
from gait.errors import TooFewStepsError
from gait.events import detect_view, select_steady_segment, steady_rhythm_segment
from gait.identity import identity_breaks
from gait.rhythm import estimate_stride_period
from gait.pipeline import AnalysisOptions, analyze_track
from gait.synth import SynthParams, synthetic_track


def _analyse(params: SynthParams, **corruption):
    track, truth = synthetic_track(params, **corruption)
    result = analyze_track(track, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    return result.to_dict(), truth


def _assert_meets_issue_bar(result: dict, truth: dict, fps: float) -> None:
    """Issue 3 outcome 6: IC and TO within one frame for 90 %, cadence within 0.2
    steps/min, step-time SI within 1.5 points, stride length within 2 %."""
    errors = match_events(result["events"], truth["events"])
    ic_ok, to_ok = errors.fraction_within(1.0 / fps)
    assert ic_ok >= EVENT_SHARE_MIN, f"IC within one frame: {ic_ok:.0%}, ms {errors.ic_s * 1e3}"
    assert to_ok >= EVENT_SHARE_MIN, f"TO within one frame: {to_ok:.0%}, ms {errors.to_s * 1e3}"
    s = result["summary"]
    assert s["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"], abs=CADENCE_TOL_SPM)
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(
        truth["step_time_asymmetry_pct"], abs=SI_TOL_POINTS)
    assert s["stride_length_m"]["value"] == pytest.approx(truth["stride_length_m"],
                                                          rel=STRIDE_TOL_REL)


@pytest.mark.parametrize("fps, cadence, asymmetry", [
    (fps, cad, asym) for fps in (30, 60, 120, 240)
    for cad, asym in ((150, 0.0), (175, 8.0), (200, -15.0))
])
def test_clean_track_events_within_one_frame(fps, cadence, asymmetry):
    params = SynthParams(fps=fps, cadence_spm=cadence, step_time_asymmetry_pct=asymmetry,
                         duty_factor=0.32, duration_s=10, seed=int(fps + cadence))
    result, truth = _analyse(params)
    _assert_meets_issue_bar(result, truth, fps)


def test_far_foot_looking_smaller_does_not_shift_its_events():
    """Both feet share one template with a gain each: without the gain, the far foot's
    smaller image (4 m camera, 20 cm between the feet) moved the step-time asymmetry of a
    symmetric runner by 0.9 points on a clean 240 fps track."""
    params = SynthParams(fps=240, cadence_spm=170, duty_factor=0.33, duration_s=10, seed=3)
    result, truth = _analyse(params)
    errors = {foot: match_events([e for e in result["events"] if e["foot"] == foot],
                                 [e for e in truth["events"] if e["foot"] == foot])
              for foot in ("left", "right")}
    bias_ms = {foot: 1000 * float(np.mean(e.ic_s)) for foot, e in errors.items()}
    assert abs(bias_ms["left"] - bias_ms["right"]) < 0.5, bias_ms
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(0.0, abs=0.2)


@pytest.mark.parametrize("fps, cadence, asymmetry, noise_px, dropout", [
    (30, 150, 0.0, 1.0, 0.05),
    (30, 200, 15.0, 1.5, 0.05),
    (60, 170, 5.0, 1.0, 0.05),
    (60, 185, -10.0, 2.0, 0.03),
    (120, 160, 10.0, 1.0, 0.05),
    (240, 175, 15.0, 1.5, 0.05),
])
def test_cadence_and_stride_length_with_noise_dropouts_and_swaps(fps, cadence, asymmetry,
                                                                 noise_px, dropout):
    params = SynthParams(fps=fps, cadence_spm=cadence, step_time_asymmetry_pct=asymmetry,
                         noise_px=noise_px, duty_factor=0.33, duration_s=10, seed=7)
    result, truth = _analyse(params, dropout_frac=dropout, swap_runs=3)
    s = result["summary"]
    assert s["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"], abs=CADENCE_TOL_SPM)
    assert s["stride_length_m"]["value"] == pytest.approx(truth["stride_length_m"],
                                                          rel=STRIDE_TOL_REL)
    assert result["cleaning"]["swapped_frames"] >= 1


NOISY_CONDITIONS = ((30, 150, 0.0, 1.0, 0.05), (30, 200, 15.0, 1.5, 0.05),
                    (60, 170, 5.0, 1.0, 0.05), (60, 185, -10.0, 2.0, 0.03),
                    (120, 160, 10.0, 1.0, 0.05), (240, 175, 15.0, 1.5, 0.05))
#: Seeds of noise, dropouts and swaps: one draw can pass or fail by luck; twenty show
#: how often each condition meets the bar (``scripts/event_accuracy.py --draws 20``).
NOISY_SEEDS = tuple(range(20))
#: Measured shortfalls, by (fps, cadence, seed): share of toe-offs within one frame and
#: the mean toe-off error. The one left is in the toe-offs' common timing at 240 fps,
#: where one frame is 4.2 ms: over the 20 draws the pooled lift-off kink lands 0.2 ms
#: late on average with an SD of 1.5 ms, and each toe-off's own timing scatters by only
#: 0.6 ms about it. The Cramér-Rao bound of gait's lift-off template is 1.2 ms: even at
#: that bound a draw misses the bar about one time in a hundred
#: (scripts/event_timing_bound.py, second table).
NOISY_SHORTFALL = {
    (fps, cadence, seed): f"TO within one frame {share:.1f} %: lift-offs {bias_ms:+.1f} ms off "
                          "in common"
    for fps, cadence, seed, share, bias_ms in (
        (240, 175, 19, 60.7, 3.9),
    )
}


@pytest.mark.parametrize("fps, cadence, asymmetry, noise_px, dropout, seed", [
    pytest.param(*cond, seed, marks=pytest.mark.xfail(
        strict=True, reason=NOISY_SHORTFALL[(*cond[:2], seed)])
        if (*cond[:2], seed) in NOISY_SHORTFALL else ())
    for cond in NOISY_CONDITIONS for seed in NOISY_SEEDS
])
def test_noisy_track_meets_the_issue_bar(fps, cadence, asymmetry, noise_px, dropout, seed):
    """Issue 3 outcome 6 on tracks with jitter, dropouts and leg swaps."""
    params = SynthParams(fps=fps, cadence_spm=cadence, step_time_asymmetry_pct=asymmetry,
                         noise_px=noise_px, duty_factor=0.33, duration_s=10, seed=seed)
    result, truth = _analyse(params, dropout_frac=dropout, swap_runs=3)
    _assert_meets_issue_bar(result, truth, fps)


def test_contact_inside_a_long_dropout_is_recovered_with_lower_confidence():
    params = SynthParams(fps=30, cadence_spm=170, duty_factor=0.33, duration_s=10, seed=3)
    track, truth = synthetic_track(params)
    lost = truth["events"][8]
    first = int(lost["ic_s"] * params.fps) - 2
    xy, vis = track.xy_px.copy(), track.visibility.copy()
    xy[first:first + 7] = np.nan  # 0.23 s around the landing: too long to interpolate
    vis[first:first + 7] = np.nan
    result = analyze_track(track.with_changes("dropout", xy_px=xy, visibility=vis),
                           options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"])).to_dict()
    assert result["cleaning"]["samples_filled_from_strides"] == 7 * 33
    found = [e for e in result["events"]
             if e["foot"] == lost["foot"] and abs(e["ic_s"] - lost["ic_s"]) <= 1 / params.fps]
    assert len(found) == 1
    assert abs(found[0]["to_s"] - lost["to_s"]) <= 1 / params.fps
    same_foot = [e["confidence"] for e in result["events"] if e["foot"] == lost["foot"]]
    assert found[0]["confidence"] < 0.8 * np.median(same_foot)


def test_runner_lost_most_of_the_time_is_refused_with_a_clear_error():
    track, _ = synthetic_track(SynthParams(fps=30, cadence_spm=170, duration_s=10, seed=3))
    xy, vis = track.xy_px.copy(), track.visibility.copy()
    for first in range(10, track.n_frames - 10, 22):  # 14 of every 22 frames lost
        xy[first:first + 14] = np.nan
        vis[first:first + 14] = np.nan
    with pytest.raises(TooFewStepsError,
                       match=r"person was not found in 6\d% of its frames") as error:
        analyze_track(track.with_changes("lost", xy_px=xy, visibility=vis))
    assert "slow motion" not in str(error.value)


@pytest.mark.parametrize("facing, view", [("left", "side-left"), ("right", "side-right")])
def test_view_and_facing_detected(facing, view):
    track, _ = synthetic_track(SynthParams(facing=facing, duration_s=4))
    info = detect_view(track)
    assert info.view == view
    assert info.facing == (-1 if facing == "left" else 1)
    assert info.near_side == ("left" if facing == "left" else "right")


def test_view_override_is_respected():
    track, _ = synthetic_track(SynthParams(facing="left", duration_s=4))
    assert detect_view(track, view="side-right").view == "side-right"
    assert not detect_view(track, view="side-right").detected_automatically


def test_stride_period_from_autocorrelation():
    t = np.arange(0, 10, 1 / 60)
    u = np.sin(2 * np.pi * t / 0.7) + 0.3 * np.sin(4 * np.pi * t / 0.7)
    assert estimate_stride_period(u, fs=60) == pytest.approx(0.7, abs=0.005)


def test_steady_segment_cuts_frames_without_legs():
    track, _ = synthetic_track(SynthParams(duration_s=8))
    xy = track.xy_px.copy()
    xy[:60] = np.nan  # runner not yet in view for the first 2 s
    start, stop = select_steady_segment(track.with_changes("test", xy_px=xy))
    assert start == 60 and stop == track.n_frames


def test_steady_segment_bridges_short_losses_of_tracking_only():
    track, _ = synthetic_track(SynthParams(duration_s=8, fps=30))
    xy = track.xy_px.copy()
    xy[100:112] = np.nan  # 0.37 s without a person: bridged
    assert select_steady_segment(track.with_changes("test", xy_px=xy)) == (0, track.n_frames)
    xy[150:170] = np.nan  # 0.63 s: too long; the longer side (with the short gap) is kept
    assert select_steady_segment(track.with_changes("test", xy_px=xy)) == (0, 150)
    xy = track.xy_px.copy()
    xy[100:105, :, 0] = -50.0  # runner out of the frame: never bridged, however short
    assert select_steady_segment(track.with_changes("test", xy_px=xy)) == (105, track.n_frames)


def test_too_short_clip_is_refused_clearly():
    track, _ = synthetic_track(SynthParams(duration_s=1.2))
    with pytest.raises(TooFewStepsError, match="need 2.0 s"):
        select_steady_segment(track)


def _far_foot_lost_mid_stance() -> tuple[dict, dict, str]:
    """MediaPipe's far foot jumps up towards the near leg for about 0.1 s as that swings past
    (rendered runners at 60-240 fps): a stance timed from the foot's height then ends at the
    jump, 150-200 ms early. Here the far foot's heel, ankle and toe are lifted 18 px through the
    middle of every stance of an exact 120 fps runner; returns its result dict, its truth and
    the far foot."""
    from gait import landmarks as lm

    track, truth = synthetic_track(SynthParams(fps=120, cadence_spm=166, duty_factor=0.37,
                                               duration_s=10, noise_px=0.5, seed=1))
    far = "right" if truth["near_side"] == "left" else "left"
    xy = track.xy_px.copy()
    for e in truth["events"]:
        if e["foot"] == far:
            c = e["to_s"] - e["ic_s"]
            lost = (track.t_s > e["ic_s"] + 0.25 * c) & (track.t_s < e["ic_s"] + 0.6 * c)
            xy[np.ix_(lost, list(lm.LEG[far][2:]), [1])] -= 18.0
    lost_track = track.with_changes("far foot lost mid-stance", xy_px=xy)
    result = analyze_track(lost_track,
                           options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]))
    return result.to_dict(), truth, far


def test_far_foot_lost_mid_stance_is_timed_from_the_toe_leaving_the_belt():
    """The far toe still moves with the belt after the jump: its toe-offs are timed again from
    the toe leaving the belt, and the far foot's contact time is measured, not left out."""
    r, truth, far = _far_foot_lost_mid_stance()
    assert any(line.startswith(f"{far} foot: the toe stayed on the belt")
               for line in r["provenance"]["track_log"])
    assert r["lost_foot"] is None
    assert not any("read under 60%" in w for w in r["warnings"])
    for name in ("contact_time_ms", "flight_time_ms", "duty_factor_pct"):
        assert f"{far} toe-offs timed from the toe leaving the belt" in r["summary"][name]["note"]
    for foot in ("left", "right"):
        contact = r["per_side"][foot]["contact_time_ms"]
        assert contact["value"] == pytest.approx(1000 * truth["contact_time_s"],
                                                 abs=2 * contact["expected_error"])


def test_far_foot_lost_and_not_followed_on_the_belt_is_left_out_of_contact_timing(monkeypatch):
    """Where the belt cue cannot time the lost foot either (its toe not followed through the
    swing), the cut stances are recognised, contact time comes from the near foot, and the huge
    left/right difference is not called a finding."""
    import gait.events

    monkeypatch.setattr(gait.events, "belt_lift_offs",
                        lambda t, x, ic_s, **kw: np.full(len(ic_s), np.nan))
    r, truth, far = _far_foot_lost_mid_stance()
    per_side = r["per_side"]
    assert per_side[far]["contact_time_ms"]["value"] < 0.6 * per_side[truth["near_side"]][
        "contact_time_ms"]["value"]
    assert any(f"the {far} foot's contacts read under 60%" in w for w in r["warnings"])
    assert r["lost_foot"] == far
    contact = r["summary"]["contact_time_ms"]
    assert contact["approximate"] and f"from the {truth['near_side']} foot only" in contact["note"]
    assert contact["value"] == pytest.approx(1000 * truth["contact_time_s"],
                                             abs=2 * contact["expected_error"])
    assert not r["asymmetry"]["contact_time_ms"]["detectable"]


def _joined(*parts: SynthParams):
    """Synthetic clips of one camera played one after another, as one track, with their truths."""
    made = [synthetic_track(p) for p in parts]
    xy = np.concatenate([track.xy_px for track, _ in made])
    first = made[0][0]
    n = xy.shape[0]
    track = first.with_changes("synthetic clips joined", xy_px=xy, t_s=np.arange(n) / first.fps,
                               visibility=np.concatenate([tr.visibility for tr, _ in made]),
                               frame_idx=np.arange(n), world_m=None)
    return track, [truth for _, truth in made]


START_UP_WALK = SynthParams(gait="walking", cadence_spm=100, duty_factor=0.64, belt_speed_kmh=4.5,
                            duration_s=4, fps=60, noise_px=0.5, seed=1)
START_UP_RUN = SynthParams(cadence_spm=172, belt_speed_kmh=11.0, duration_s=12, fps=60,
                           noise_px=0.5, seed=3)


@pytest.mark.parametrize("order", ["walking, then running", "running, then walking"])
def test_start_up_or_cool_down_is_left_out(order):
    """4 s of walking before (or after) 12 s of running on the belt: the steady running is
    analysed. With the walking in, the stride period of the whole segment came out at two
    running strides, and the clip read 86.8 steps/min from 24 contacts."""
    parts = (START_UP_WALK, START_UP_RUN) if order.startswith("walking") else (
        START_UP_RUN, START_UP_WALK)
    track, truths = _joined(*parts)
    run = truths[parts.index(START_UP_RUN)]
    r = analyze_track(track, options=AnalysisOptions(belt_speed_ms=run["belt_speed_ms"])).to_dict()
    assert r["gait_mode"] == "running"
    run_start = 4.0 if order.startswith("walking") else 0.0
    t0, t1 = r["segment_s"]
    assert run_start - 0.1 <= t0 <= run_start + 1.5 and run_start + 10.5 <= t1 <= run_start + 12.1
    assert r["summary"]["cadence_spm"]["value"] == pytest.approx(run["cadence_spm"], abs=0.2)
    assert r["summary"]["stride_length_m"]["value"] == pytest.approx(run["stride_length_m"],
                                                                     rel=0.02)
    assert r["summary"]["contact_time_ms"]["value"] == pytest.approx(
        1000 * run["contact_time_s"], abs=r["summary"]["contact_time_ms"]["expected_error"])
    assert any("stride rhythm changed" in w for w in r["warnings"])


@pytest.mark.parametrize("seed", [1, 2])
def test_steady_rhythm_keeps_a_steady_noisy_clip_whole(seed):
    params = SynthParams(fps=30, cadence_spm=165, noise_px=1.5, duration_s=12, seed=seed)
    track, _ = synthetic_track(params, dropout_frac=0.05, swap_runs=3)
    filtered, _ = clean_track(track)
    view = detect_view(filtered)
    segment = select_steady_segment(filtered)
    assert steady_rhythm_segment(filtered, view=view, segment=segment) == segment


def test_pose_jumping_to_another_person_splits_the_clip():
    """For the first 4 s the pose model follows someone else (a smaller figure 150 px to the
    side), then the runner. The two are never joined into one segment, and the report says
    why part of the clip was left out. (On walk_side_outdoor.mp4 MediaPipe follows a statue,
    then the walker, then a passer-by.)"""
    params = SynthParams(fps=30, cadence_spm=168, duration_s=14, noise_px=0.5, seed=4)
    track, truth = synthetic_track(params)
    xy = track.xy_px.copy()
    centre = np.nanmean(xy[:120], axis=(0, 1))
    xy[:120] = centre + 0.7 * (xy[:120] - centre) + np.array([150.0, 0.0])
    other_first = track.with_changes("someone else for 4 s", xy_px=xy)
    assert np.flatnonzero(identity_breaks(other_first)).tolist() == [120]
    assert not identity_breaks(track).any()
    r = analyze_track(other_first,
                      options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"])).to_dict()
    assert r["segment_s"][0] >= 4.0
    assert r["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"], abs=0.2)
    assert any("jumped between people 1 time (at 4.0 s)" in w and "only 4.0-14.0 s" in w
               for w in r["warnings"]), r["warnings"]
