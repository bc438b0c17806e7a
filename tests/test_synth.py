"""Tests of gait.synth: the synthetic runner's kinematics, truth, corruption and rendering."""

from __future__ import annotations

import dataclasses
import json
import math

import cv2
import numpy as np
import pytest

from gait.errors import InvalidOptionError
from gait.landmarks import INDEX, LEFT_RIGHT_PAIRS, N_LANDMARKS
from gait.synth import (
    TRUTH_SCHEMA,
    Camera,
    RunnerModel,
    SynthParams,
    render_video,
    synthetic_track,
    truth_path,
)
from gait.track import PoseTrack

SIDES = ("left", "right")

VARIANTS = [
    {},
    {"foot_strike": "mid"},
    {"foot_strike": "fore", "facing": "right"},
    {"cadence_spm": 185.0, "belt_speed_kmh": 14.0, "duty_factor": 0.30,
     "step_time_asymmetry_pct": -6.0, "seed": 3},
    {"cadence_spm": 155.0, "belt_speed_kmh": 7.5, "duty_factor": 0.42, "overstride_m": 0.2,
     "seed": 7},
]


def _dense(model: RunnerModel, n: int = 40001) -> np.ndarray:
    """Two strides of clip time, finely sampled."""
    return np.linspace(0.0, 2 * model.stride_s, n)


# ----------------------------------------------------------------- timing truth
def test_step_times_follow_the_asymmetry_definition():
    p = SynthParams(step_time_asymmetry_pct=8.0, duration_s=12.0)
    _, truth = synthetic_track(p)
    t_stride = 120.0 / p.cadence_spm
    ev = truth["events"]
    assert [e["foot"] for e in ev[:4]] in (["left", "right"] * 2, ["right", "left"] * 2)
    steps = {"left": [], "right": []}
    for prev, cur in zip(ev, ev[1:]):
        assert prev["foot"] != cur["foot"]
        steps[cur["foot"]].append(cur["ic_s"] - prev["ic_s"])
    left, right = np.mean(steps["left"]), np.mean(steps["right"])
    assert np.allclose(steps["left"], t_stride / 2 * (1 + 8.0 / 200), atol=1e-9)
    assert np.allclose(steps["right"], t_stride / 2 * (1 - 8.0 / 200), atol=1e-9)
    assert abs(left - right) / (0.5 * (left + right)) * 100 == pytest.approx(8.0, abs=1e-9)
    assert truth["step_time_left_s"] == pytest.approx(left, abs=1e-9)
    assert truth["step_time_right_s"] == pytest.approx(right, abs=1e-9)
    assert truth["step_length_left_m"] == pytest.approx(p.belt_speed_ms * left, abs=1e-9)


@pytest.mark.parametrize("kw", VARIANTS)
def test_contact_time_and_derived_truth(kw):
    p = SynthParams(**kw)
    _, truth = synthetic_track(p)
    t_stride = 120.0 / p.cadence_spm
    contact = p.duty_factor * t_stride
    assert truth["stride_time_s"] == pytest.approx(t_stride, rel=1e-12)
    assert truth["contact_time_s"] == pytest.approx(contact, rel=1e-12)
    assert truth["flight_time_s"] == pytest.approx(t_stride / 2 - contact, rel=1e-12)
    assert truth["stride_length_m"] == pytest.approx(p.belt_speed_kmh / 3.6 * t_stride, rel=1e-12)
    for e in truth["events"]:
        assert e["to_s"] - e["ic_s"] == pytest.approx(contact, abs=1e-12)
        assert 0.0 <= e["ic_s"] and e["to_s"] <= (p.n_frames - 1) / p.fps
    ics = [e["ic_s"] for e in truth["events"]]
    assert ics == sorted(ics)
    # every contact that fits in the clip is listed: about 2 per stride
    assert len(ics) >= 2 * math.floor(p.duration_s / t_stride) - 2


def test_truth_is_json_with_schema_and_all_keys():
    _, truth = synthetic_track(SynthParams(camera_distance_m=math.inf))
    again = json.loads(json.dumps(truth, allow_nan=False))
    assert again["schema"] == TRUTH_SCHEMA
    for key in ("cadence_spm", "stride_time_s", "step_time_left_s", "step_time_right_s",
                "step_time_asymmetry_pct", "contact_time_s", "flight_time_s", "duty_factor",
                "belt_speed_ms", "stride_length_m", "step_length_left_m", "step_length_right_m",
                "overstride_m", "trunk_lean_deg", "knee_flexion_at_ic_deg",
                "shin_angle_at_ic_deg", "vertical_oscillation_m", "leg_length_m", "events",
                "px_per_m", "facing", "pixel_to_world", "params"):
        assert key in again, key
    assert again["params"]["camera_distance_m"] == "inf"


# ------------------------------------------------------------------ kinematics
@pytest.mark.parametrize("kw", VARIANTS)
def test_stance_foot_rides_the_belt_and_swing_foot_clears_it(kw):
    model = RunnerModel(SynthParams(**kw))
    t = _dense(model)
    dt = t[1] - t[0]
    v = model.params.belt_speed_ms
    for side in SIDES:
        foot = model.foot_m(t, side)
        lowest = np.minimum(foot["heel"][:, 1], foot["toe"][:, 1])
        st = foot["in_contact"]
        assert np.all(np.abs(lowest[st]) < 1e-12)
        assert np.all(lowest[~st] > 0)
        # any sole point on the belt (heel or toe) moves backwards at belt speed
        both = st[:-1] & st[1:]
        for point in ("heel", "toe"):
            y = foot[point][:, 1]
            on_belt = both & (y[:-1] < 1e-12) & (y[1:] < 1e-12)
            vx = np.diff(foot[point][:, 0]) / dt
            assert on_belt.sum() > 100
            assert np.max(np.abs(vx[on_belt] + v)) < 1e-6


@pytest.mark.parametrize("kw", VARIANTS)
def test_events_are_exact_contact_instants(kw):
    model = RunnerModel(SynthParams(**kw))
    _, truth = synthetic_track(model.params)
    eps = 1e-7
    for e in truth["events"][:6]:
        t = np.array([e["ic_s"] - eps, e["ic_s"] + eps, e["to_s"] - eps, e["to_s"] + eps])
        foot = model.foot_m(t, e["foot"])
        assert foot["in_contact"].tolist() == [False, True, True, False]
        lowest = np.minimum(foot["heel"][:, 1], foot["toe"][:, 1])
        assert lowest[0] > 0 and lowest[3] > 0 and lowest[0] < 1e-6 and lowest[3] < 1e-6


@pytest.mark.parametrize("kw", VARIANTS)
def test_legs_are_rigid_and_knees_bend_forwards(kw):
    model = RunnerModel(SynthParams(**kw))
    lm = model.landmarks_m(_dense(model, 4001))
    body = model.body
    for side in SIDES:
        hip, knee, ankle = (lm[:, INDEX[f"{side}_{j}"], :2] for j in ("hip", "knee", "ankle"))
        assert np.allclose(np.linalg.norm(knee - hip, axis=1), body.thigh_m, atol=1e-9)
        assert np.allclose(np.linalg.norm(ankle - knee, axis=1), body.shank_m, atol=1e-9)
        u = ankle - hip
        forward = np.stack([-u[:, 1], u[:, 0]], axis=1)  # hip->ankle turned towards +x
        assert np.all(np.sum((knee - hip) * forward, axis=1) > 0)
        # knee never straighter than 5 deg of flexion
        a, b = hip - knee, ankle - knee
        cos = np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        assert 180 - np.degrees(np.arccos(cos)).max() > 5


@pytest.mark.parametrize("kw", VARIANTS)
def test_motion_is_smooth_between_events(kw):
    """Positions never jump; velocities only change within a frame at IC and TO."""
    model = RunnerModel(SynthParams(**kw))
    t = _dense(model, 20001)
    dt = t[1] - t[0]
    lm = model.landmarks_m(t)
    step = np.linalg.norm(np.diff(lm, axis=0), axis=2)
    assert step.max() < 12.0 * dt  # no point moves faster than 12 m/s
    accel = np.linalg.norm(np.diff(lm, 2, axis=0), axis=2) / dt**2
    events = np.concatenate([[e["ic_s"], e["to_s"]] for e in model.events(-1.0, t[-1] + 1.0)])
    near_event = np.min(np.abs(t[1:-1, None] - events[None, :]), axis=1) < 2 * dt
    assert accel[~near_event].max() < 400.0  # m/s^2, finite everywhere else


# ------------------------------------------------------- touchdown and lift-off
_FD_S = 1e-5  # finite-difference step for the velocities at the events
_IMPACTS = [
    {},  # the defaults
    {"touchdown_vertical_speed_ms": 1.5, "touchdown_horizontal_speed_ms": 1.0,
     "liftoff_vertical_speed_ms": 1.0},
    {"touchdown_vertical_speed_ms": 2.5, "touchdown_horizontal_speed_ms": 3.0,
     "liftoff_vertical_speed_ms": 2.0},
    {"touchdown_vertical_speed_ms": 0.5, "touchdown_horizontal_speed_ms": 0.0,
     "liftoff_vertical_speed_ms": 0.0},
]
_CONTACT_POINT = {"rear": "heel", "mid": "heel", "fore": "toe"}


def _event_velocities(model: RunnerModel, side: str, t_event: float, point: str):
    """Velocity of `point` just before and just after `t_event` (one-sided differences)."""
    t = np.array([t_event - _FD_S, t_event, t_event + _FD_S])
    xy = model.foot_m(t, side)[point]
    return (xy[1] - xy[0]) / _FD_S, (xy[2] - xy[1]) / _FD_S


@pytest.mark.parametrize("impact", _IMPACTS)
@pytest.mark.parametrize("kw", VARIANTS)
def test_foot_hits_the_belt_and_leaves_it_with_the_set_speeds(kw, impact):
    p = SynthParams(**{**kw, **impact})
    model = RunnerModel(p)
    v = p.belt_speed_ms
    first = _CONTACT_POINT[p.foot_strike]
    for e in model.events(0.0, 3 * model.stride_s)[:4]:
        points = ("heel", "toe") if p.foot_strike == "mid" else (first,)
        for point in points:  # 'mid': the whole sole lands at once
            before, after = _event_velocities(model, e["foot"], e["ic_s"], point)
            assert before[1] == pytest.approx(-p.touchdown_vertical_speed_ms, abs=1e-3)
            assert before[0] + v == pytest.approx(p.touchdown_horizontal_speed_ms, abs=1e-3)
            # the impact stops it: from contact on it rides the belt exactly
            assert after[0] == pytest.approx(-v, abs=1e-6)
            assert after[1] == pytest.approx(0.0, abs=1e-6)
        before, after = _event_velocities(model, e["foot"], e["to_s"], "toe")
        assert before[0] == pytest.approx(-v, abs=1e-6)
        assert before[1] == pytest.approx(0.0, abs=1e-6)
        assert after[1] == pytest.approx(p.liftoff_vertical_speed_ms, abs=1e-3)
        assert after[0] == pytest.approx(-v, abs=1e-3)
        # positions never jump, not even at the impacts
        for t_event in (e["ic_s"], e["to_s"]):
            foot = model.foot_m(np.array([t_event - 1e-9, t_event + 1e-9]), e["foot"])
            for point in ("heel", "ankle", "toe"):
                assert np.abs(np.diff(foot[point], axis=0)).max() < 1e-7


@pytest.mark.parametrize("strike", ["rear", "fore"])
def test_zero_impact_speeds_give_a_tangential_touchdown_and_lift_off(strike):
    p = SynthParams(foot_strike=strike, touchdown_vertical_speed_ms=0.0,
                    touchdown_horizontal_speed_ms=0.0, liftoff_vertical_speed_ms=0.0)
    model = RunnerModel(p)
    v = p.belt_speed_ms
    for e in model.events(0.0, 3 * model.stride_s)[:4]:
        # velocity is continuous at both events: the contact point meets the
        # belt already moving with it, and the toe leaves it the same way
        for t_event, point in ((e["ic_s"], _CONTACT_POINT[strike]), (e["to_s"], "toe")):
            before, after = _event_velocities(model, e["foot"], t_event, point)
            assert np.allclose(before, [-v, 0.0], atol=1e-3)
            assert np.allclose(after, [-v, 0.0], atol=1e-3)


@pytest.mark.parametrize("impact", _IMPACTS)
@pytest.mark.parametrize("kw", VARIANTS)
def test_swing_foot_never_goes_through_the_belt_and_velocity_only_jumps_at_events(kw, impact):
    model = RunnerModel(SynthParams(**{**kw, **impact}))
    t = _dense(model, 200001)
    dt = t[1] - t[0]
    events = np.concatenate([[e["ic_s"], e["to_s"]] for e in model.events(-1.0, t[-1] + 1.0)])
    for side in SIDES:
        foot = model.foot_m(t, side)
        sw = ~foot["in_contact"]
        lowest = np.minimum(foot["heel"][:, 1], foot["toe"][:, 1])
        assert np.all(lowest[sw] > 0.0)
        # the IC position and orientation are reached exactly
        ic = np.array([e["ic_s"] for e in model.events(0.0, t[-1]) if e["foot"] == side])
        at_ic = model.foot_m(ic, side)
        assert np.allclose(at_ic["heel"][:, 0] - model.hip_m(ic)[:, 0], model.params.overstride_m,
                           atol=1e-9)
        assert np.allclose(at_ic["pitch_rad"], model.pitch_ic, atol=1e-12)
        # velocity changes by at most accel * dt between samples except at the events
        vel = np.diff(foot["toe"], axis=0) / dt
        jump = np.linalg.norm(np.diff(vel, axis=0), axis=1)
        near = np.min(np.abs(t[1:-1, None] - events[None, :]), axis=1) < 2 * dt
        assert jump[~near].max() < 2000.0 * dt  # m/s^2 times dt: no jumps elsewhere
        assert jump[near].max() > 0.2 or model.params.touchdown_horizontal_speed_ms == 0.0


def test_impact_speed_defaults_are_realistic_and_recorded_in_the_truth():
    p = SynthParams()
    # recreational runners: heel ~0.5-1.5 m/s down at touchdown, the foot still
    # moving forwards relative to the belt, the toe leaving upwards
    assert 0.5 <= p.touchdown_vertical_speed_ms <= 1.5
    assert 0.2 <= p.touchdown_horizontal_speed_ms <= 1.0
    assert 0.2 <= p.liftoff_vertical_speed_ms <= 1.0
    _, truth = synthetic_track(SynthParams(duration_s=1.0, touchdown_vertical_speed_ms=1.1))
    assert truth["touchdown_vertical_speed_ms"] == 1.1
    assert truth["params"]["touchdown_vertical_speed_ms"] == 1.1
    assert truth["touchdown_horizontal_speed_ms"] == p.touchdown_horizontal_speed_ms
    assert truth["params"]["liftoff_vertical_speed_ms"] == p.liftoff_vertical_speed_ms


@pytest.mark.parametrize("name,bad", [
    ("touchdown_vertical_speed_ms", -0.1), ("touchdown_vertical_speed_ms", 2.6),
    ("touchdown_vertical_speed_ms", float("nan")), ("touchdown_horizontal_speed_ms", -0.5),
    ("touchdown_horizontal_speed_ms", 3.5), ("liftoff_vertical_speed_ms", 2.1),
    ("liftoff_vertical_speed_ms", "fast"), ("liftoff_vertical_speed_ms", True),
])
def test_invalid_impact_speeds_are_refused_with_their_range(name, bad):
    with pytest.raises(InvalidOptionError, match=rf"{name} must be a number from 0 to"):
        SynthParams(**{name: bad})


def test_timing_geometry_matches_parameters():
    p = SynthParams(overstride_m=0.12, trunk_lean_deg=7.0, vertical_oscillation_m=0.09,
                    step_time_asymmetry_pct=5.0)
    model = RunnerModel(p)
    _, truth = synthetic_track(p)
    ic = np.array([e["ic_s"] for e in truth["events"]])
    lm = model.landmarks_m(ic)
    hip = model.hip_m(ic)
    for k, e in enumerate(truth["events"]):
        heel = lm[k, INDEX[f"{e['foot']}_heel"], 0]
        assert heel - hip[k, 0] == pytest.approx(0.12, abs=1e-12)
    t = _dense(model)
    lm = model.landmarks_m(t)
    mid_hip = (lm[:, INDEX["left_hip"]] + lm[:, INDEX["right_hip"]]) / 2
    mid_sh = (lm[:, INDEX["left_shoulder"]] + lm[:, INDEX["right_shoulder"]]) / 2
    d = mid_sh - mid_hip
    assert np.allclose(np.degrees(np.arctan2(d[:, 0], d[:, 1])), 7.0, atol=1e-9)
    # peak-to-trough of the mid-hip within every step
    ics = [e["ic_s"] for e in model.events(0.0, t[-1])]
    for a, b in zip(ics, ics[1:]):
        y = mid_hip[(t >= a) & (t < b), 1]
        assert y.max() - y.min() == pytest.approx(0.09, abs=1e-6)


def test_truth_angles_at_initial_contact_match_the_landmarks():
    p = SynthParams(foot_strike="fore", overstride_m=0.05)
    model = RunnerModel(p)
    _, truth = synthetic_track(p)
    e = truth["events"][0]
    lm = model.landmarks_m(np.array([e["ic_s"]]))[0]
    hip, knee, ankle = (lm[INDEX[f"{e['foot']}_{j}"], :2] for j in ("hip", "knee", "ankle"))
    shin = math.degrees(math.atan2(ankle[0] - knee[0], knee[1] - ankle[1]))
    side_truth = truth["at_ic_by_foot"][e["foot"]]
    assert side_truth["shin_angle_deg"] == pytest.approx(shin, abs=1e-9)
    a, b = hip - knee, ankle - knee
    flex = 180 - math.degrees(math.acos(a @ b / np.linalg.norm(a) / np.linalg.norm(b)))
    assert side_truth["knee_flexion_deg"] == pytest.approx(flex, abs=1e-9)
    assert 5 < truth["knee_flexion_at_ic_deg"] < 60


@pytest.mark.parametrize("kw", [{}, dict(cadence_spm=100, duty_factor=0.64),
                                dict(cadence_spm=125, duty_factor=0.66),
                                dict(cadence_spm=95, belt_speed_kmh=3.0),
                                dict(cadence_spm=130, belt_speed_kmh=7.0, duty_factor=0.58)])
def test_walker_lands_with_a_nearly_straight_knee_and_the_heel_well_ahead(kw):
    """A walker's default heel-ahead distance is the one that lets the hip ride highest; it
    lands as people walk, the knee nearly straight and the shin inclined forwards (it used to
    land on a 65 deg knee with the shin tilted back 22 deg, 0.10 m ahead as a runner), and the
    knee stays within 15 deg of its contact angle from late swing to early stance."""
    from gait.synth._model import highest_hip_overstride_m

    p = SynthParams(gait="walking", **kw)
    _, truth = synthetic_track(p)
    assert truth["overstride_m"] == p.overstride_m == highest_hip_overstride_m(p)
    assert 0.2 < p.overstride_m < 0.4
    for side in ("left", "right"):
        at_ic = truth["at_ic_by_foot"][side]
        assert 5 < at_ic["knee_flexion_deg"] < 15
        assert 12 < at_ic["shin_angle_deg"] < 25
        assert at_ic["heel_ahead_of_hip_m"] == pytest.approx(p.overstride_m, abs=0.02)
    # no sharp knee minimum at contact: within a twentieth of a stride either side of it
    model = RunnerModel(p)
    e = truth["events"][2]
    t = e["ic_s"] + np.linspace(-0.05, 0.05, 41) * model.stride_s
    lm = model.landmarks_m(t)
    hip, knee, ankle = (lm[:, INDEX[f"{e['foot']}_{j}"], :2] for j in ("hip", "knee", "ankle"))
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    flexion = 180 - np.degrees(np.arccos(cos))
    assert np.max(np.abs(flexion - flexion[20])) < 15
    # a centimetre either way lowers the hip
    for moved in (p.overstride_m - 0.01, p.overstride_m + 0.01):
        lower = RunnerModel(dataclasses.replace(p, overstride_m=moved)).hip_height_m
        assert lower < truth["mean_hip_height_m"]


# ----------------------------------------------------------------- parameters
@pytest.mark.parametrize("bad", [
    {"cadence_spm": 0}, {"cadence_spm": float("nan")}, {"belt_speed_kmh": -1.0},
    {"duty_factor": 0.6}, {"duty_factor": 0.49, "step_time_asymmetry_pct": 10.0},
    {"facing": "up"}, {"view": "top"}, {"foot_strike": "toe"}, {"fps": 0},
    {"width_px": 641}, {"height_px": 32}, {"camera_distance_m": 0.5}, {"noise_px": -1.0},
    {"seed": -1}, {"occlusion": "yes"}, {"height_m": 3.0}, {"overground": True, "occlusion": True},
    {"cadence_spm": 150.0, "belt_speed_kmh": 16.0, "duty_factor": 0.4},  # leg too short
])
def test_invalid_params_are_refused_with_a_clear_message(bad):
    with pytest.raises(InvalidOptionError) as err:
        RunnerModel(SynthParams(**bad))
    assert any(name in str(err.value) for name in ("must", "too far", "flight"))


@pytest.mark.parametrize("bad", [{"dropout_frac": 1.5}, {"dropout_max_frames": 0},
                                 {"swap_runs": -1}])
def test_invalid_corruption_options_are_refused(bad):
    with pytest.raises(InvalidOptionError):
        synthetic_track(SynthParams(duration_s=1.0), **bad)


# ---------------------------------------------------------------------- track
def test_track_is_a_posetrack_on_the_render_camera():
    p = SynthParams(duration_s=2.0, fps=60.0)
    track, truth = synthetic_track(p)
    assert isinstance(track, PoseTrack)
    assert track.n_frames == 120 and track.fps == 60.0 and track.source == "synthetic"
    assert track.size_px == (640, 480)
    assert track.xy_px.shape == (120, N_LANDMARKS, 2) and np.isfinite(track.xy_px).all()
    assert np.allclose(track.t_s, np.arange(120) / 60.0)
    # near (left, facing left) side fully visible, far side less
    assert track.visibility[:, INDEX["left_ankle"]].min() == 1.0
    assert track.visibility[:, INDEX["right_ankle"]].max() < 1.0
    # facing left: the nose is image-left of the ear
    assert np.all(track.xy_px[:, INDEX["nose"], 0] < track.xy_px[:, INDEX["left_ear"], 0])
    # the near-leg pixel -> world mapping recovers the model's metres exactly
    world = RunnerModel(p).landmarks_m(track.t_s)
    m = truth["pixel_to_world"]["left_leg"]
    heel_px = track.xy_px[:, INDEX["left_heel"]]
    x_m = m["x_sign"] * (heel_px[:, 0] - m["origin_px"][0]) / m["px_per_m"]
    y_m = (m["origin_px"][1] - heel_px[:, 1]) / m["px_per_m"]
    assert np.allclose(x_m, world[:, INDEX["left_heel"], 0], atol=1e-9)
    assert np.allclose(y_m, world[:, INDEX["left_heel"], 1], atol=1e-9)
    # the runner fills a realistic part of the frame
    top, bottom = np.nanmin(track.xy_px[..., 1]), np.nanmax(track.xy_px[..., 1])
    assert 0.6 * 480 < bottom - top < 0.85 * 480


def test_camera_is_orthographic_at_infinite_distance():
    cam = Camera.for_params(SynthParams(camera_distance_m=math.inf))
    pts = np.array([[0.3, 0.5, 0.1], [0.3, 0.5, -0.1]])
    a, b = cam.project(pts)
    assert np.allclose(a, b)


def test_same_seed_same_clip_other_seed_other_phase():
    p = SynthParams(duration_s=2.0, noise_px=1.5)
    a, ta = synthetic_track(p, dropout_frac=0.1, swap_runs=2)
    b, tb = synthetic_track(p, dropout_frac=0.1, swap_runs=2)
    assert np.array_equal(a.xy_px, b.xy_px, equal_nan=True) and ta == tb
    c, tc = synthetic_track(SynthParams(duration_s=2.0, noise_px=1.5, seed=1))
    assert tc["events"][0]["ic_s"] != ta["events"][0]["ic_s"]


def test_noise_has_the_requested_spread():
    clean, _ = synthetic_track(SynthParams(duration_s=4.0))
    noisy, _ = synthetic_track(SynthParams(duration_s=4.0, noise_px=2.0))
    diff = (noisy.xy_px - clean.xy_px).ravel()
    assert diff.std() == pytest.approx(2.0, rel=0.05)
    assert abs(diff.mean()) < 0.05


def test_dropouts_are_nan_runs_of_the_requested_size():
    p = SynthParams(duration_s=10.0)
    track, truth = synthetic_track(p, dropout_frac=0.15, dropout_max_frames=4)
    missing = ~track.detected
    assert missing.sum() == round(0.15 * p.n_frames)
    assert np.flatnonzero(missing).tolist() == truth["dropout_frames"]
    assert np.isnan(track.visibility[missing]).all()
    assert np.isfinite(track.xy_px[~missing]).all()
    # no run longer than 4 unless two runs happen to touch: check the typical case
    runs = np.diff(np.flatnonzero(np.diff(np.r_[0, missing.astype(int), 0])))[::2]
    assert runs.min() >= 1 and np.median(runs) <= 4


def test_swaps_exchange_only_the_foot_labels_on_the_listed_frames():
    p = SynthParams(duration_s=6.0)
    clean, _ = synthetic_track(p)
    swapped, truth = synthetic_track(p, swap_runs=4, swap_max_frames=3)
    frames = np.array(truth["swap_frames"])
    assert 4 <= len(frames) <= 12
    other = np.setdiff1d(np.arange(p.n_frames), frames)
    assert np.array_equal(swapped.xy_px[other], clean.xy_px[other])
    for name in ("ankle", "heel", "foot_index"):
        li, ri = INDEX[f"left_{name}"], INDEX[f"right_{name}"]
        assert np.array_equal(swapped.xy_px[frames, li], clean.xy_px[frames, ri])
        assert np.array_equal(swapped.xy_px[frames, ri], clean.xy_px[frames, li])
    knee = [INDEX["left_knee"], INDEX["right_knee"]]
    assert np.array_equal(swapped.xy_px[:, knee], clean.xy_px[:, knee])


def test_occlusion_lowers_visibility_of_hidden_far_points_only():
    track, _ = synthetic_track(SynthParams(occlusion=True, duration_s=4.0))
    hidden = track.visibility < 0.5
    assert hidden[:, INDEX["right_foot_index"]].any()  # far toe at the front of the stride
    assert not hidden[:, [i for i, _ in LEFT_RIGHT_PAIRS]].any()  # near (left) side never


# ------------------------------------------------------------------- rendering
def test_rendered_video_is_readable_with_right_frames_and_truth(tmp_path):
    p = SynthParams(duration_s=1.0, fps=24.0, width_px=160, height_px=120)
    path = tmp_path / "clip.mp4"
    truth = render_video(path, p)
    cap = cv2.VideoCapture(str(path))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(24.0)
    frames = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        assert frame.shape == (120, 160, 3)
        frames += 1
    cap.release()
    assert frames == 24
    on_disk = json.loads((tmp_path / "clip.truth.json").read_text())
    assert on_disk == json.loads(json.dumps(truth))
    with pytest.raises(InvalidOptionError):
        render_video(tmp_path / "clip.gif", p)


def _colour_centroid_x(frame: np.ndarray, bgr: tuple[int, int, int]) -> float:
    """Mean image x (px) of the pixels of one flat colour; NaN where there are none."""
    columns = np.nonzero(np.all(np.abs(frame.astype(int) - bgr) <= 2, axis=2))[1]
    return float(columns.mean()) if columns.size else float("nan")


#: An overground walker for the crossing test: 4.5 km/h over 9 s, as far as the runner in 4 s.
_WALKER = dict(gait="walking", duty_factor=0.62, cadence_spm=110.0, belt_speed_kmh=4.5,
               duration_s=9.0)


@pytest.mark.parametrize("facing, kw", [("left", {}), ("right", {}), ("left", _WALKER)],
                         ids=["runner-left", "runner-right", "walker-left"])
def test_overground_person_crosses_a_still_track(facing, kw):
    """Overground the track and its lines stand still, and the whole runner (or walker),
    head included, crosses the frame at the set speed (the shirt's and hair's pixels),
    entering on the side they come from."""
    from gait.synth._render import _HAIR, _SHIRT, render_frames

    p = SynthParams(**{**dict(overground=True, facing=facing, duration_s=4.0, fps=30.0,
                              width_px=640, height_px=180, body_height_frac=0.7,
                              belt_speed_kmh=10.0, seed=3), **kw})
    _, truth = synthetic_track(p)
    frames = list(render_frames(p))
    shirt = np.array([_colour_centroid_x(f, _SHIRT) for f in frames])
    hair = np.array([_colour_centroid_x(f, _HAIR) for f in frames])
    seen = np.isfinite(shirt) & np.isfinite(hair)
    t = np.arange(len(frames)) / p.fps
    direction = 1 if facing == "right" else -1
    speed_px_s = direction * truth["belt_speed_ms"] * truth["px_per_m"]
    middle = seen & (np.abs(shirt - p.width_px / 2) < 0.35 * p.width_px)
    assert middle.sum() > 10
    assert np.polyfit(t[middle], shirt[middle], 1)[0] == pytest.approx(speed_px_s, rel=0.05)
    assert np.max(np.abs(hair[middle] - shirt[middle])) < 0.1 * p.height_px
    first_seen = shirt[np.flatnonzero(seen)[0]]
    assert (first_seen < p.width_px / 2) == (facing == "right")
    # before and after the crossing the frame shows the same still track
    assert np.isnan(shirt[[0, 1, -1]]).all()
    assert np.array_equal(frames[0], frames[1]) and np.array_equal(frames[0], frames[-1])


def test_truth_path_is_where_render_video_writes_the_truth(tmp_path):
    assert truth_path(tmp_path / "run.v2.mp4") == tmp_path / "run.v2.truth.json"
    p = SynthParams(duration_s=0.25, fps=24.0, width_px=160, height_px=120)
    render_video(tmp_path / "clip.avi", p)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["clip.avi", "clip.truth.json"]
    assert truth_path(tmp_path / "clip.avi").is_file()


def test_interrupted_render_leaves_no_files_and_keeps_earlier_ones(tmp_path, monkeypatch):
    import gait.synth._render as render_module

    real_frames = render_module.render_frames

    def interrupted(params):  # Ctrl-C after a few frames
        for k, img in enumerate(real_frames(params)):
            if k == 5:
                raise KeyboardInterrupt
            yield img

    monkeypatch.setattr(render_module, "render_frames", interrupted)
    p = SynthParams(duration_s=1.0, fps=24.0, width_px=160, height_px=120)
    with pytest.raises(KeyboardInterrupt):
        render_video(tmp_path / "new.mp4", p)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "old.mp4").write_bytes(b"earlier video")
    (tmp_path / "old.truth.json").write_text("{}")
    with pytest.raises(KeyboardInterrupt):
        render_video(tmp_path / "old.mp4", p)
    assert (tmp_path / "old.mp4").read_bytes() == b"earlier video"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["old.mp4", "old.truth.json"]


# --------------------------------------------------- pose model on rendered video
def _mediapipe_xy(path) -> np.ndarray:
    """MediaPipe Pose landmarks (n_frames, 33, 2) in pixels, NaN where nothing was found."""
    mp = pytest.importorskip("mediapipe")
    cap = cv2.VideoCapture(str(path))
    out = []
    with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            res = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            if res.pose_landmarks is None:
                out.append(np.full((N_LANDMARKS, 2), np.nan))
            else:
                out.append([(q.x * w, q.y * h) for q in res.pose_landmarks.landmark])
    cap.release()
    return np.asarray(out, float)


# Bound on MediaPipe's median pixel error per near-side joint, as a fraction of
# body height in pixels. scripts/synth_tracking_check.py (8 s clips, 640x480,
# body 374 px) measured medians of 1.2-2.3 % for hips, knees and shoulders and
# 1.9-3.3 % for ankles, heels and toes (the heel sits ~8 px above the sole-level
# truth heel: a property of the pose model); 4 % leaves room for the smaller
# test clips without hiding a broken drawing (a misplaced limb costs >10 %).
_MAX_MEDIAN_ERROR_FRAC = 0.04


@pytest.mark.slow
@pytest.mark.parametrize("kw", [
    {"fps": 30.0, "facing": "left"},
    {"fps": 60.0, "facing": "right", "step_time_asymmetry_pct": 8.0, "duration_s": 3.0},
])
def test_mediapipe_finds_the_runner_and_puts_joints_on_it(tmp_path, kw):
    p = SynthParams(**{"duration_s": 5.0, "width_px": 480, "height_px": 360, "seed": 11, **kw})
    path = tmp_path / "clip.mp4"
    truth = render_video(path, p)
    track, _ = synthetic_track(p)
    xy = _mediapipe_xy(path)
    assert xy.shape[0] == p.n_frames
    found = np.isfinite(xy).all(axis=(1, 2))
    assert found.mean() >= 0.95
    body_px = truth["px_per_m"] * p.height_m
    near = truth["near_side"]
    for joint in ("hip", "knee", "ankle", "heel", "foot_index", "shoulder"):
        i = INDEX[f"{near}_{joint}"]
        err = np.linalg.norm(xy[found, i] - track.xy_px[found, i], axis=1)
        assert np.median(err) < _MAX_MEDIAN_ERROR_FRAC * body_px, joint


@pytest.mark.parametrize("bad", [
    {"view": "rear", "pelvic_drop_left_deg": 20.0}, {"view": "rear", "step_width_m": 0.5},
    {"view": "rear", "camera_roll_deg": 15.0},
])
def test_invalid_rear_view_params_are_refused(bad):
    with pytest.raises(InvalidOptionError, match="must"):
        SynthParams(**bad)
