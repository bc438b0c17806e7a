"""Issue 3 outcome 6, second bar: rendered synthetic videos through the whole pipeline.

Each bundled sample in ``sample_videos/`` is a rendered synthetic runner with
its exact truth in ``<stem>.truth.json``; two more clips of the same runner
(240 fps, and 60 fps facing the other way) are rendered at test time. Each
video goes through `gait.pipeline.analyze` (MediaPipe pose estimation
included) once per test session, with the belt speed from the truth, and the
result is held against
the bar of issue 3: cadence within 0.2 steps/min; IC and TO within the larger
of one frame and 15 ms for at least 90 % of the true events; step-time
asymmetry within 1.5 percentage points; stride length within 2 %.

Two runners crossing the frame over still ground (`accuracy.RENDERED_OVERGROUND`,
60 fps, 6 s of which about 3 s show the runner) are rendered and analysed the same way,
with the body height in place of the belt speed; their stride length is held to its
stated error, as it comes from the body height.

Where the bar is not met today the test is a strict xfail whose reason gives
the measured numbers (``python scripts/rendered_accuracy.py`` prints them).
The pose cache is the session's temporary one (``tests/conftest.py``), so the
samples are estimated once per run and shared with ``tests/test_cli.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accuracy import (CADENCE_TOL_SPM, EVENT_SHARE_MIN, RENDERED, RENDERED_OVERGROUND,
                      SI_TOL_POINTS, STRIDE_TOL_REL, match_events, rendered_event_tolerance_s,
                      timeable_events)

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
CLIP_30 = "runner_side_30fps"
CLIP_60 = "runner_side_60fps_asymmetric"
#: Rendered at test time, from `accuracy.RENDERED` (the clips of
#: ``scripts/rendered_accuracy.py --render``): the 30 fps sample's symmetric runner,
#: 5 s filmed as a phone's slow motion (a 240 fps sample would be too large to
#: bundle), and at 60 fps facing right, a second 60 fps runner beside the bundled
#: (asymmetric) one, measured in docs/rendered_accuracy.md but not in the tests before.
CLIP_240 = "runner_side_240fps"
CLIP_60_RIGHT = "runner_side_60fps_right_s1"
RENDERED_AT_TEST_TIME = {CLIP_240: RENDERED["r240_left_s1"],
                         CLIP_60_RIGHT: RENDERED["r60_right_s1"]}
CLIPS = (CLIP_30, CLIP_60, CLIP_240, CLIP_60_RIGHT)

#: Measured shortfalls, by (clip, bar item). MediaPipe's vertical foot
#: coordinates are misshapen near the belt (heel and toe never settle on it,
#: the toe rises before it leaves); the horizontal ones are faithful: with the
#: exact vertical coordinates put back, every event is within 8 ms. See
#: docs/rendered_accuracy.md and ``scripts/rendered_accuracy.py --diagnose``.
#: (Toe-off met the bar on both samples once a pooled lift-off timing that moves
#: the first guesses by more than a frame is no longer trusted: 48 % -> 93 % at
#: 30 fps, 18 % -> 100 % at 60 fps.)
SHORTFALL = {
    (CLIP_30, "si"): "step-time SI +2.2 % for a symmetric runner (far-foot IC -11 ms, near "
                     "foot -7 ms)",
    (CLIP_240, "to"): "TO within 15 ms 85 %: +12.6 ms in common, SD 1.3 ms (toe-offs timed "
                      "from the toe leaving the belt, since the height cue ends the stances where "
                      "MediaPipe's heel and toe jump up mid-stance; that first guess stops 2-3 "
                      "frames late at 240 fps and the lift-offs keep its common timing)",
    (CLIP_240, "si"): "step-time SI +7.5 % for a symmetric runner (IC near +7.6 ms, far -6.0 ms)",
    (CLIP_60_RIGHT, "ic"): "IC within 17 ms 78 %: near foot -8.3 ms, far foot -12.3 ms on "
                           "average (the 60 fps sample: 95 %)",
    (CLIP_60_RIGHT, "to"): "TO within 17 ms 70 %: near foot -12.3 ms, far foot -13.3 ms on "
                           "average (the 60 fps sample: 100 %)",
    (CLIP_60_RIGHT, "si"): "step-time SI -3.0 % for a symmetric runner (IC near -8.3 ms, far "
                           "-12.3 ms)",
}


def _mark(clip: str, item: str):
    reason = SHORTFALL.get((clip, item))
    return pytest.param(clip, marks=pytest.mark.xfail(strict=True, reason=reason) if reason
                        else (), id=clip)


def _params(item: str, clips: tuple[str, ...] = CLIPS) -> list:
    return [_mark(clip, item) for clip in clips]


@pytest.fixture(scope="session")
def rendered_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """``{clip: (result dict, truth dict)}``: each clip analysed once per session."""
    from gait.pipeline import AnalysisOptions, analyze
    from gait.synth import render_video

    out = {}
    for clip in CLIPS:
        video = SAMPLES / f"{clip}.mp4"
        if clip in RENDERED_AT_TEST_TIME:
            video = tmp_path_factory.mktemp("rendered") / f"{clip}.mp4"
            render_video(video, RENDERED_AT_TEST_TIME[clip])
        truth = json.loads(video.with_suffix(".truth.json").read_text())
        result, _ = analyze(video, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]),
                            progress=False)
        out[clip] = (result.to_dict(), truth)
    return out


def _event_shares(result: dict, truth: dict) -> tuple[float, float, float]:
    """(IC share, TO share, tolerance s) of true events found within the issue's tolerance."""
    tol_s = rendered_event_tolerance_s(truth["fps"])
    errors = match_events(result["events"], truth["events"])
    ic_share, to_share = errors.fraction_within(tol_s)
    return ic_share, to_share, tol_s


@pytest.mark.parametrize("clip", _params("cadence"))
def test_cadence_within_0_2_spm(rendered_results, clip):
    result, truth = rendered_results[clip]
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(
        truth["cadence_spm"], abs=CADENCE_TOL_SPM)


@pytest.mark.parametrize("clip", _params("ic"))
def test_initial_contacts_within_tolerance(rendered_results, clip):
    result, truth = rendered_results[clip]
    ic_share, _, tol_s = _event_shares(result, truth)
    assert ic_share >= EVENT_SHARE_MIN, f"IC within {tol_s * 1000:.0f} ms: {ic_share:.0%}"


@pytest.mark.parametrize("clip", _params("to"))
def test_toe_offs_within_tolerance(rendered_results, clip):
    result, truth = rendered_results[clip]
    _, to_share, tol_s = _event_shares(result, truth)
    assert to_share >= EVENT_SHARE_MIN, f"TO within {tol_s * 1000:.0f} ms: {to_share:.0%}"


@pytest.mark.parametrize("clip", _params("si"))
def test_step_time_asymmetry_within_1_5_points(rendered_results, clip):
    result, truth = rendered_results[clip]
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(
        truth["step_time_asymmetry_pct"], abs=SI_TOL_POINTS)


@pytest.mark.parametrize("clip", _params("stride"))
def test_stride_length_within_2_percent_with_belt_speed(rendered_results, clip):
    result, truth = rendered_results[clip]
    assert result["summary"]["stride_length_m"]["value"] == pytest.approx(
        truth["stride_length_m"], rel=STRIDE_TOL_REL)


def _hip_to_ankle_m(truth: dict) -> float:
    """gait's leg length (thigh plus shank) of the rendered runner; the truth's
    ``leg_length_m`` runs on to the sole."""
    from gait.synth._model import Body

    return Body(truth["height_m"]).leg_m


#: Angles and positions read at contact, and their truth per foot in ``.truth.json``.
AT_CONTACT = {
    "overstride_cm": lambda truth, foot: 100 * truth["at_ic_by_foot"][foot]["heel_ahead_of_hip_m"],
    "overstride_pct_leg": lambda truth, foot: (100 * truth["at_ic_by_foot"][foot]
                                               ["heel_ahead_of_hip_m"] / _hip_to_ankle_m(truth)),
    "shin_angle_deg": lambda truth, foot: truth["at_ic_by_foot"][foot]["shin_angle_deg"],
    "knee_flexion_ic_deg": lambda truth, foot: truth["at_ic_by_foot"][foot]["knee_flexion_deg"],
    "trunk_lean_deg": lambda truth, foot: truth["trunk_lean_deg"],
}


#: `POSE_MODEL_ERROR` was calibrated on ``--render`` clips, the right-facing 60 fps one among them.
@pytest.mark.parametrize("clip", _params("at_contact", (CLIP_30, CLIP_60, CLIP_240)))
def test_angles_and_overstride_at_contact_within_twice_their_stated_error(rendered_results,
                                                                           clip):
    """The stated error holds the pose model's error at contact (`POSE_MODEL_ERROR`,
    calibrated on nine other rendered runners): the bundled samples are held out. Measured
    errors / stated errors on (30 fps, 60 fps): overstride +2.7/2.6 and +4.2/3.0 cm, +3.0/2.5
    and +2.3/2.5 % leg, shin angle +1.6/2.5 and +0.5/2.6°, knee flexion -1.0/1.1 and
    -2.0/1.1°, trunk lean +0.1/0.7 and -0.2/0.7°. Before that term the stated errors were
    0.3-1.3, and overstride in % leg read 10 stated errors off."""
    result, truth = rendered_results[clip]
    off = {}
    for name, true_value in AT_CONTACT.items():
        s = result["summary"][name]
        true_mean = 0.5 * sum(true_value(truth, foot) for foot in ("left", "right"))
        off[name] = (s["value"] - true_mean) / s["expected_error"]
    assert all(abs(z) <= 2.0 for z in off.values()), off


def _joined_video(path: Path, parts: list[Path]) -> Path:
    """The frames of `parts` (same size and rate) one after another in one MP4."""
    import cv2

    writer = None
    for part in parts:
        cap = cv2.VideoCapture(str(part))
        fps = cap.get(cv2.CAP_PROP_FPS)
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if writer is None:
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps,
                                         (frame.shape[1], frame.shape[0]))
            writer.write(frame)
        cap.release()
    writer.release()
    return path


def test_start_up_walking_is_cut_through_the_whole_pipeline(tmp_path):
    """A rendered runner who walks 4 s on the belt before running 12 s (30 fps), through
    MediaPipe: the steady running is analysed to the issue's bar for cadence and stride."""
    import dataclasses

    from gait.pipeline import AnalysisOptions, analyze
    from gait.synth import SynthParams, render_video

    walk = SynthParams(gait="walking", cadence_spm=100, duty_factor=0.64, belt_speed_kmh=4.5,
                       duration_s=4, seed=1)
    run = dataclasses.replace(SynthParams(cadence_spm=172, belt_speed_kmh=11.0, seed=3),
                              duration_s=12)
    render_video(tmp_path / "walk.mp4", walk)
    truth = render_video(tmp_path / "run.mp4", run)
    video = _joined_video(tmp_path / "start_up.mp4", [tmp_path / "walk.mp4", tmp_path / "run.mp4"])
    result, _ = analyze(video, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]),
                        progress=False)
    r = result.to_dict()
    assert r["gait_mode"] == "running"
    assert 4.0 <= r["segment_s"][0] <= 5.5
    assert r["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"],
                                                                 abs=CADENCE_TOL_SPM)
    assert r["summary"]["stride_length_m"]["value"] == pytest.approx(truth["stride_length_m"],
                                                                     rel=STRIDE_TOL_REL)
    assert any("stride rhythm changed" in w for w in r["warnings"])


def _blanked_video(path: Path, source: Path, blanked: set[int]) -> Path:
    """`source` with the frames in `blanked` painted plain grey (no person in them)."""
    import cv2

    cap = cv2.VideoCapture(str(source))
    fps, size = cap.get(cv2.CAP_PROP_FPS), (int(cap.get(3)), int(cap.get(4)))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    index = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if index in blanked:
            frame[:] = 40
        writer.write(frame)
        index += 1
    cap.release()
    writer.release()
    return path


def test_frames_without_the_runner_are_bridged_through_the_whole_pipeline(tmp_path):
    """The 30 fps sample with eight runs of 6 grey frames (0.2 s, too long to interpolate):
    through MediaPipe every contact is still found (18 of 29 before gaps were bridged from
    the neighbouring strides), initial contacts meet the issue's bar, and the contacts the
    gaps touch say so in a lower confidence. docs/gap_filling.md"""
    from gait.pipeline import AnalysisOptions, analyze

    source = SAMPLES / f"{CLIP_30}.mp4"
    truth = json.loads(source.with_suffix(".truth.json").read_text())
    starts = (30, 66, 126, 138, 210, 258, 306, 318)
    blanked = {s + k for s in starts for k in range(6)}
    video = _blanked_video(tmp_path / "blanked.mp4", source, blanked)
    result, _ = analyze(video, options=AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"]),
                        progress=False)
    r = result.to_dict()
    assert r["cleaning"]["samples_filled_from_strides"] > 0
    assert len(r["events"]) == len(truth["events"])
    ic_share, _, _ = _event_shares(r, truth)
    assert ic_share >= EVENT_SHARE_MIN
    assert r["summary"]["cadence_spm"]["value"] == pytest.approx(truth["cadence_spm"],
                                                                 abs=CADENCE_TOL_SPM)
    for foot in ("left", "right"):
        mine = [e for e in r["events"] if e["foot"] == foot]
        touched = [e["confidence"] for e in mine
                   if blanked & set(range(e["ic_idx"], e["to_idx"] + 1))]
        seen = [e["confidence"] for e in mine
                if not blanked & set(range(e["ic_idx"], e["to_idx"] + 1))]
        assert touched and max(touched) < min(seen)


# --- a runner crossing the frame over still ground ---------------------------------------
#: Measured shortfalls of the rendered crossing runners (`accuracy.RENDERED_OVERGROUND`),
#: by (clip, bar item); ``python scripts/overground_accuracy.py`` prints them with more
#: frame rates. On the exact landmarks of the same runs every item is met (events within
#: 5 ms). Through MediaPipe the landings come out up to 33 ms early, and on
#: the right-facing runner MediaPipe gives each leg the other's label for 10 and 8 frames
#: (167 and 133 ms) in two strides, longer than the running-median swap repair
#: (`gait.clean.repair_leg_swaps`, 0.25 s) outvotes, so contacts go to the wrong foot.
_SWAPPED = "in the two strides whose legs MediaPipe swapped for 8-10 frames"
OVERGROUND_SHORTFALL = {
    ("og60_left", "ic"): "IC within 17 ms 71 %: five landings 7-13 ms early, one of the left "
                         "foot's 46 ms late, and the first contact in view not found",
    ("og60_left", "to"): "TO within 17 ms 86 %: six lift-offs within 9 ms, the first contact "
                         "in view not found",
    ("og60_left", "si"): "step-time SI +13.5 % for a symmetric runner: one left landing 46 ms "
                         "late where the others lie 7-13 ms early",
    ("og60_right", "cadence"): "cadence 171.7 for 170.0 steps/min: toe-offs found 296 and "
                               f"323 ms late {_SWAPPED}",
    ("og60_right", "ic"): "IC within 17 ms 43 %: the right foot's landings 5-8 ms early, the "
                          "left's 13-33 ms early or 22 ms late, one right landing found 238 ms "
                          f"late {_SWAPPED}",
    ("og60_right", "to"): "TO within 17 ms 43 %: three lift-offs 4-16 ms late, the others "
                          f"75-323 ms late or not found, {_SWAPPED}",
    ("og60_right", "si"): f"step-time SI -29.1 % for a symmetric runner: contacts given to "
                          f"the wrong foot {_SWAPPED}",
}
OVERGROUND_CLIPS = tuple(RENDERED_OVERGROUND)


def _overground_params(item: str) -> list:
    return [pytest.param(clip, id=clip, marks=pytest.mark.xfail(
        strict=True, reason=OVERGROUND_SHORTFALL[(clip, item)])
        if (clip, item) in OVERGROUND_SHORTFALL else ()) for clip in OVERGROUND_CLIPS]


@pytest.fixture(scope="session")
def rendered_overground(tmp_path_factory: pytest.TempPathFactory
                        ) -> dict[str, tuple[dict, dict, list[dict]]]:
    """``{clip: (result dict, truth dict, timeable true contacts)}``, analysed once per session.

    The runner is in view for about 3 s of the 6 s clip; the analysis is told the body
    height (no belt speed overground).
    """
    from gait.pipeline import AnalysisOptions, analyze
    from gait.synth import render_video, synthetic_track

    folder = tmp_path_factory.mktemp("rendered_overground")
    out = {}
    for clip, params in RENDERED_OVERGROUND.items():
        video = folder / f"{clip}.mp4"
        truth = render_video(video, params)
        exact, _ = synthetic_track(params)
        result, _ = analyze(video, options=AnalysisOptions(height_m=truth["height_m"]),
                            cache_dir=folder / "cache", progress=False)
        out[clip] = (result.to_dict(), truth,
                     timeable_events(truth, exact.xy_px, exact.t_s, params.width_px))
    return out


@pytest.mark.parametrize("clip", OVERGROUND_CLIPS)
def test_crossing_runner_is_a_side_view_with_its_contacts_and_stride(rendered_overground, clip):
    """The crossing runner is analysed as a side view facing the way it runs, with at least
    five contacts, and its stride length from body height lies within its stated error."""
    result, truth, timeable = rendered_overground[clip]
    assert result["view"]["view"] == f"side-{truth['facing']}"
    assert len(timeable) >= 5 and len(result["events"]) >= 5
    stride = result["summary"]["stride_length_m"]
    assert stride["approximate"]
    assert abs(stride["value"] - truth["stride_length_m"]) <= stride["expected_error"]


@pytest.mark.parametrize("clip", _overground_params("cadence"))
def test_crossing_runner_cadence_within_0_2_spm(rendered_overground, clip):
    result, truth, _ = rendered_overground[clip]
    assert result["summary"]["cadence_spm"]["value"] == pytest.approx(
        truth["cadence_spm"], abs=CADENCE_TOL_SPM)


def _crossing_event_shares(result: dict, truth: dict, timeable: list[dict]
                           ) -> tuple[float, float]:
    """(IC share, TO share) of the contacts in view found within the issue's tolerance."""
    return match_events(result["events"], timeable).fraction_within(
        rendered_event_tolerance_s(truth["fps"]))


@pytest.mark.parametrize("clip", _overground_params("ic"))
def test_crossing_runner_initial_contacts_within_tolerance(rendered_overground, clip):
    ic_share, _ = _crossing_event_shares(*rendered_overground[clip])
    assert ic_share >= EVENT_SHARE_MIN, f"IC within tolerance: {ic_share:.0%}"


@pytest.mark.parametrize("clip", _overground_params("to"))
def test_crossing_runner_toe_offs_within_tolerance(rendered_overground, clip):
    _, to_share = _crossing_event_shares(*rendered_overground[clip])
    assert to_share >= EVENT_SHARE_MIN, f"TO within tolerance: {to_share:.0%}"


@pytest.mark.parametrize("clip", _overground_params("si"))
def test_crossing_runner_step_time_asymmetry_within_1_5_points(rendered_overground, clip):
    result, truth, _ = rendered_overground[clip]
    assert result["asymmetry"]["step_time_ms"]["symmetry_index_pct"] == pytest.approx(
        truth["step_time_asymmetry_pct"], abs=SI_TOL_POINTS)
