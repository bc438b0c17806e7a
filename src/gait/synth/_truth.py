"""The truth dictionary: exact gait parameters of a synthetic clip."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..landmarks import INDEX
from ._camera import Camera
from ._model import SIDES, RunnerModel

TRUTH_SCHEMA = "gait.synth.truth/1"


def truth_path(video_path: str | Path) -> Path:
    """The truth file `render_video` writes beside a video.

    Parameters
    ----------
    video_path : str or Path
        The rendered video, e.g. ``clips/run.mp4``.

    Returns
    -------
    Path
        ``<video_path without suffix>.truth.json``, e.g. ``clips/run.truth.json``.
    """
    video_path = Path(video_path)
    return video_path.with_name(video_path.stem + ".truth.json")


def make_truth(model: RunnerModel, camera: Camera) -> dict:
    """Exact gait parameters and events of the clip that `model` and `camera` produce.

    Event times come from the model's timing, not from sampled frames.
    Joint angles at initial contact are from the model's joint positions at
    the exact contact instants.

    Returns
    -------
    dict
        JSON-serialisable; see the keys in the module ``gait.synth``.
    """
    p = model.params
    n = p.n_frames
    t_last_s = (n - 1) / p.fps
    stride = model.stride_s
    v = model.speed_ms
    body = model.body
    flights = [model.step_s[s] - model.contact_s for s in SIDES]

    # Joint angles at one exact initial contact of each foot.
    at_ic = {}
    for side in SIDES:
        t_ic = np.array([model.ic0_s[side] - model.phase_offset_s])
        lm = model.landmarks_m(t_ic)[0, :, :2]
        hip, knee, ankle = (lm[INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle"))
        u, w = hip - knee, ankle - knee
        cos_k = np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w))
        shin = math.degrees(math.atan2(ankle[0] - knee[0], knee[1] - ankle[1]))
        at_ic[side] = {
            "knee_flexion_deg": 180.0 - math.degrees(math.acos(np.clip(cos_k, -1, 1))),
            "shin_angle_deg": shin,
            "heel_ahead_of_hip_m": float(lm[INDEX[f"{side}_heel"], 0] - hip[0]),
        }

    near = "left" if p.facing == "left" else "right"
    far = "right" if near == "left" else "left"
    return {
        "schema": TRUTH_SCHEMA,
        "params": p.to_dict(),
        "n_frames": n,
        "fps": p.fps,
        "duration_s": n / p.fps,
        "facing": p.facing,
        "view": p.view,
        "near_side": near,
        "cadence_spm": p.cadence_spm,
        "stride_time_s": stride,
        "step_time_left_s": model.step_s["left"],
        "step_time_right_s": model.step_s["right"],
        "step_time_asymmetry_pct": p.step_time_asymmetry_pct,
        "contact_time_s": model.contact_s,
        "gait": p.gait,
        "flight_time_s": float(np.mean(flights)) if p.gait == "running" else 0.0,
        "double_support_s": float(np.mean([max(-f, 0.0) for f in flights])),
        "flight_time_before_left_ic_s": model.step_s["left"] - model.contact_s,
        "flight_time_before_right_ic_s": model.step_s["right"] - model.contact_s,
        "duty_factor": p.duty_factor,
        "belt_speed_ms": v,
        "belt_speed_kmh": p.belt_speed_kmh,
        "stride_length_m": v * stride,
        "step_length_left_m": v * model.step_s["left"],
        "step_length_right_m": v * model.step_s["right"],
        "overstride_m": p.overstride_m,
        "trunk_lean_deg": p.trunk_lean_deg,
        "knee_flexion_at_ic_deg": float(np.mean([at_ic[s]["knee_flexion_deg"] for s in SIDES])),
        "shin_angle_at_ic_deg": float(np.mean([at_ic[s]["shin_angle_deg"] for s in SIDES])),
        "at_ic_by_foot": at_ic,
        "vertical_oscillation_m": p.vertical_oscillation_m,
        "height_m": p.height_m,
        "leg_length_m": body.leg_m + body.ankle_above_sole_m,
        "mean_hip_height_m": model.hip_height_m,
        "foot_strike": p.foot_strike,
        "touchdown_vertical_speed_ms": p.touchdown_vertical_speed_ms,
        "touchdown_horizontal_speed_ms": p.touchdown_horizontal_speed_ms,
        "liftoff_vertical_speed_ms": p.liftoff_vertical_speed_ms,
        "phase_offset_s": model.phase_offset_s,
        "events_window_s": [0.0, t_last_s],
        "events": model.events(0.0, t_last_s),
        "px_per_m": camera.px_per_m,
        "size_px": [p.width_px, p.height_px],
        "camera": {
            "distance_m": "inf" if math.isinf(camera.distance_m) else camera.distance_m,
            "height_m": camera.height_m,
            "center_px": list(camera.center_px),
        },
        "pixel_to_world": {
            "note": (
                "x_m = x_sign * (x_px - origin_px[0]) / px_per_m; "
                "y_m = (origin_px[1] - y_px) / px_per_m; world x points in the running "
                "direction from the mean mid-hip, y up from the belt; exact for points "
                "in the plane at depth z_m (towards the camera)"
            ),
            "mid_sagittal": camera.plane_mapping(0.0),
            f"{near}_leg": camera.plane_mapping(body.hip_half_width_m),
            f"{far}_leg": camera.plane_mapping(-body.hip_half_width_m),
        },
    }
