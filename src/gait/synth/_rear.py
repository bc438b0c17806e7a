"""The synthetic runner seen from behind the treadmill: 3-D landmarks, camera, track, truth.

The sagittal motion (x forward, y up) is `RunnerModel`'s; this module adds
the lateral coordinate ``lat`` (metres, positive towards the runner's
right) and the frontal-plane motions a rear view shows:

- contralateral pelvic drop: during the stance of one foot the pelvis
  rotates about the stance hip so that the other hip drops, by
  ``pelvic_drop_<foot>_deg`` at mid-stance (a half-sine over the stance,
  level at initial contact and toe-off);
- step width: the heels are ``step_width_m`` apart laterally, the knees lie
  on the straight hip-ankle line in the frontal plane (knee frontal-plane
  projection angle 0).

The rear camera stands ``camera_distance_m`` behind the mid-hip at
``_CAMERA_HEIGHT_M`` and looks forwards; it may be rolled by
``camera_roll_deg``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidOptionError
from ..landmarks import INDEX, N_LANDMARKS
from ..track import PoseTrack
from ._model import SIDES, RunnerModel
from ._params import SynthParams
from ._truth import make_truth

_CAMERA_HEIGHT_M = 0.9
_BELT_ROW_FRAC = 0.90
#: Lateral sign of each side (the runner's right is +).
LAT_SIGN = {"left": -1.0, "right": 1.0}


@dataclass(frozen=True)
class RearCamera:
    """Pinhole camera behind the runner looking forwards (+x), optionally rolled.

    Parameters
    ----------
    px_per_m : float
        Image scale in the frontal plane through the mid-hip (x = 0).
    distance_m : float
        Camera to that plane, metres.
    center_px : (float, float)
        Image of the optical axis before roll.
    height_m : float
        Camera height above the belt.
    roll_deg : float
        A level line appears rising to the image right by this angle.
    size_px : (int, int)
        Frame (width, height); the roll turns the image about its centre.
    """

    px_per_m: float
    distance_m: float
    center_px: tuple[float, float]
    height_m: float
    roll_deg: float
    size_px: tuple[int, int]

    @classmethod
    def for_params(cls, params: SynthParams) -> "RearCamera":
        """The rear camera framing `params`' runner: mid-hip centred, belt near the bottom."""
        px_per_m = params.body_height_frac * params.height_px / params.height_m
        belt_row = _BELT_ROW_FRAC * params.height_px
        return cls(px_per_m, float(params.camera_distance_m),
                   (params.width_px / 2, belt_row - px_per_m * _CAMERA_HEIGHT_M),
                   _CAMERA_HEIGHT_M, float(params.camera_roll_deg),
                   (params.width_px, params.height_px))

    def scale(self, x_m: np.ndarray | float) -> np.ndarray:
        """Pixels per metre for points `x_m` ahead of the mid-hip plane."""
        x = np.asarray(x_m, dtype=float)
        if math.isinf(self.distance_m):
            return np.full_like(x, self.px_per_m)
        return self.px_per_m * self.distance_m / (self.distance_m + x)

    def roll_matrix(self) -> np.ndarray:
        """2x3 affine image rotation of the roll (as `cv2.getRotationMatrix2D`)."""
        r = math.radians(self.roll_deg)
        c, s = math.cos(r), math.sin(r)
        cx, cy = self.size_px[0] / 2, self.size_px[1] / 2
        return np.array([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]])

    def project(self, pts_m: np.ndarray) -> np.ndarray:
        """World points (..., 3) as (x forward, y up, lat right) in metres -> pixels (..., 2)."""
        p = np.asarray(pts_m, dtype=float)
        s = self.scale(p[..., 0])
        u = self.center_px[0] + s * p[..., 2]
        v = self.center_px[1] - s * (p[..., 1] - self.height_m)
        m = self.roll_matrix()
        return np.stack([m[0, 0] * u + m[0, 1] * v + m[0, 2],
                         m[1, 0] * u + m[1, 1] * v + m[1, 2]], axis=-1)


class RearModel:
    """3-D landmarks of the synthetic runner for a rear view.

    Parameters
    ----------
    params : SynthParams
        With ``view="rear"``; the frontal-plane fields set pelvic drop and
        step width.
    """

    def __init__(self, params: SynthParams) -> None:
        self.params = params
        self.sagittal = RunnerModel(params)
        b = self.sagittal.body
        if abs(params.step_width_m) / 2 > b.hip_half_width_m + 0.1:
            raise InvalidOptionError(f"step_width_m={params.step_width_m} is too wide for the hips")

    def pelvic_drop_rad(self, t_s: np.ndarray) -> dict[str, np.ndarray]:
        """Contralateral drop angle during each foot's stance (0 outside it), radians."""
        m = self.sagittal
        out = {}
        for side in SIDES:
            tau = np.mod(m._model_time(t_s) - m.ic0_s[side], m.stride_s)
            amp = math.radians(getattr(self.params, f"pelvic_drop_{side}_deg"))
            out[side] = np.where(tau < m.contact_s, amp * np.sin(np.pi * tau / m.contact_s), 0.0)
        return out

    def hips_m(self, t_s: np.ndarray) -> dict[str, np.ndarray]:
        """Hip joints as (x, y, lat), shape (n, 3) each; the pelvis turns about the stance hip."""
        m = self.sagittal
        mid = m.hip_m(t_s)
        w = m.body.hip_half_width_m
        hips = {s: np.column_stack([mid[:, 0], mid[:, 1], np.full(len(t_s), LAT_SIGN[s] * w)])
                for s in SIDES}
        for stance, drop in self.pelvic_drop_rad(t_s).items():
            other = "right" if stance == "left" else "left"
            on = drop != 0
            hips[other][on, 1] = hips[stance][on, 1] - 2 * w * np.sin(drop[on])
            hips[other][on, 2] = hips[stance][on, 2] + LAT_SIGN[other] * 2 * w * np.cos(drop[on])
        return hips

    def landmarks_m(self, t_s: np.ndarray) -> np.ndarray:
        """All 33 landmarks as (x forward, y up, lat right) in metres, shape (n, 33, 3)."""
        p, m = self.params, self.sagittal
        b = m.body
        t_s = np.atleast_1d(np.asarray(t_s, dtype=float))
        side_view = m.landmarks_m(t_s)  # (x, y, z) with z only a left/right marker
        out = np.full((t_s.size, N_LANDMARKS, 3), np.nan)
        out[..., :2] = side_view[..., :2]
        hips = self.hips_m(t_s)
        for side in SIDES:
            sign = LAT_SIGN[side]
            foot = m.foot_m(t_s, side)
            hip = hips[side]
            knee = m.knee_m(hip[:, :2], foot["ankle"])
            lat_foot = sign * p.step_width_m / 2
            frac = b.thigh_m / b.leg_m
            out[:, INDEX[f"{side}_hip"]] = hip
            out[:, INDEX[f"{side}_knee"], :2] = knee
            out[:, INDEX[f"{side}_knee"], 2] = hip[:, 2] + frac * (lat_foot - hip[:, 2])
            for name in ("ankle", "heel", "foot_index"):
                out[:, INDEX[f"{side}_{name}"], 2] = lat_foot
            sh = b.shoulder_half_width_m
            out[:, INDEX[f"{side}_shoulder"], 2] = sign * sh
            out[:, INDEX[f"{side}_elbow"], 2] = sign * (sh + 0.02 * p.height_m)
            for name in ("wrist", "index", "pinky", "thumb"):
                out[:, INDEX[f"{side}_{name}"], 2] = sign * (sh - 0.01 * p.height_m)
            for name, lat in (("eye_inner", 0.018), ("eye", 0.029), ("eye_outer", 0.038),
                              ("ear", 0.044)):
                out[:, INDEX[f"{side}_{name}"], 2] = sign * lat * p.height_m
            out[:, INDEX[f"mouth_{side}"], 2] = sign * 0.014 * p.height_m
        out[:, INDEX["nose"], 2] = 0.0
        # the trunk follows the mid-hip (which drops with the pelvis)
        mid_y = 0.5 * (hips["left"][:, 1] + hips["right"][:, 1])
        dy = mid_y - m.hip_m(t_s)[:, 1]
        upper = [i for n, i in INDEX.items()
                 if not n.endswith(("hip", "knee", "ankle", "heel", "foot_index"))]
        out[:, upper, 1] += dy[:, None]
        return out

    def head_m(self, t_s: np.ndarray) -> np.ndarray:
        """Centre of the head (x, y, lat) in metres, shape (n, 3)."""
        hips = self.hips_m(t_s)
        dy = 0.5 * (hips["left"][:, 1] + hips["right"][:, 1]) - self.sagittal.hip_m(t_s)[:, 1]
        head = self.sagittal.head_m(t_s)
        return np.column_stack([head[:, 0], head[:, 1] + dy, np.zeros(len(t_s))])


def make_rear_truth(model: RearModel, camera: RearCamera) -> dict:
    """Truth of a rear-view clip: the side-view truth plus the frontal-plane parameters."""
    from ._camera import Camera

    p = model.params
    truth = make_truth(model.sagittal, Camera.for_params(p))
    for key in ("near_side", "pixel_to_world", "px_per_m", "camera", "facing"):
        truth.pop(key, None)
    truth.update({
        "view": "rear",
        "pelvic_drop_left_deg": p.pelvic_drop_left_deg,
        "pelvic_drop_right_deg": p.pelvic_drop_right_deg,
        "step_width_m": p.step_width_m,
        "camera_roll_deg": p.camera_roll_deg,
        "px_per_m_at_hip": camera.px_per_m,
        "knee_frontal_projection_deg": 0.0,
        "camera": {"distance_m": "inf" if math.isinf(camera.distance_m) else camera.distance_m,
                   "height_m": camera.height_m, "center_px": list(camera.center_px),
                   "roll_deg": camera.roll_deg},
    })
    return truth


def rear_track(params: SynthParams) -> tuple[PoseTrack, dict]:
    """The rear-view runner's landmarks as a `PoseTrack` (exact, plus ``noise_px``).

    Parameters
    ----------
    params : SynthParams
        ``view`` must be "rear".

    Returns
    -------
    track : PoseTrack
        All 33 landmarks projected by `RearCamera`, visibility 1.0.
    truth : dict
        `make_rear_truth`.
    """
    if params.view != "rear":
        raise InvalidOptionError(f"rear_track needs view='rear', got {params.view!r}")
    model = RearModel(params)
    camera = RearCamera.for_params(params)
    t_s = np.arange(params.n_frames) / params.fps
    xy = camera.project(model.landmarks_m(t_s))
    if params.noise_px > 0:
        xy = xy + np.random.default_rng([params.seed, 2]).normal(0.0, params.noise_px, xy.shape)
    vis = np.ones(xy.shape[:2])
    track = PoseTrack(t_s=t_s, xy_px=xy, visibility=vis, fps=params.fps,
                      size_px=(params.width_px, params.height_px), source="synthetic-rear",
                      log=(f"synthetic rear-view runner: {params}",))
    return track, make_rear_truth(model, camera)
