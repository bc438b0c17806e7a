"""Flat-shaded drawing of the synthetic runner on a treadmill or a track, and video writing."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from ..errors import InvalidOptionError
from ..landmarks import INDEX
from ..output_paths import replacing
from ._camera import Camera
from ._model import RunnerModel
from ._params import SynthParams
from ._truth import make_truth, truth_path

# Colours, BGR.
_SKIN = (120, 160, 215)
_SKIN_SHADE = (95, 130, 185)
_HAIR = (35, 45, 60)
_SHIRT = (175, 95, 35)
_SHORTS = (45, 40, 38)
_SHOE = (60, 60, 205)
_SOLE = (235, 235, 235)
_WALL = (200, 207, 214)
_FLOOR = (120, 126, 132)
_BELT = (48, 48, 50)
_BELT_STRIPE = (95, 95, 98)
_DECK = (85, 88, 92)
_OCCLUDER = (62, 64, 68)
_FAR_SHADE = 0.72

# Half-thicknesses (radii) in metres, at the proximal and distal end.
_THIGH_R = (0.080, 0.055)
_SHANK_R = (0.052, 0.032)
_UPPER_ARM_R = (0.045, 0.036)
_FOREARM_R = (0.034, 0.026)
_HAND_R = 0.042
_TORSO_R = (0.125, 0.115)
_NECK_R = 0.050
# Head: face and hair ellipses, semi-axes (depth, height) in metres.
_FACE_AXES_M = (0.090, 0.115)
_HAIR_AXES_M = (0.095, 0.110)
# Shoe outline in the foot frame: (along the sole from the heel, as a fraction of
# foot length; up from the sole, metres).
_SHOE_OUTLINE = ((-0.05, 0.0), (1.0, 0.0), (1.0, 0.03), (0.62, 0.065), (0.30, 0.105),
                 (0.0, 0.095), (-0.075, 0.035))
# Belt stripes: spacing and width along the belt, metres.
_STRIPE_SPACING_M = 0.35
_STRIPE_WIDTH_M = 0.035
# Treadmill geometry, metres: belt x extent, belt half-width, deck height.
_BELT_X_M = (-0.95, 0.85)
_BELT_HALF_WIDTH_M = 0.35
_DECK_DEPTH_M = 0.2
# Overground: a running track across the frame (its half-width, metres), with a
# painted line across it every metre (line width, metres).
_TRACK = (70, 80, 150)
_TRACK_LINE = (225, 228, 230)
_TRACK_HALF_WIDTH_M = 0.6
_TRACK_LINE_WIDTH_M = 0.05
_SUBPIXEL_BITS = 4
_SUB = 1 << _SUBPIXEL_BITS


def occluder_polygons_m() -> list[np.ndarray]:
    """Treadmill hood, upright and console between the runner's legs (plane z = 0).

    Returns
    -------
    list of ndarray, shape (4, 3)
        Quadrilaterals in world metres; everything on the far side (z < 0)
        behind them is hidden.
    """
    quads = (
        ((0.26, 0.0), (0.85, 0.0), (0.85, 0.30), (0.30, 0.30)),  # motor hood
        ((0.62, 0.28), (0.70, 0.28), (0.76, 1.05), (0.68, 1.05)),  # upright
        ((0.55, 1.00), (0.95, 1.00), (0.98, 1.22), (0.62, 1.22)),  # console
    )
    return [np.array([(x, y, 0.0) for x, y in q]) for q in quads]


def _pts(points_px: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(points_px) * _SUB).astype(np.int32)


def _poly(img: np.ndarray, points_px: np.ndarray, color: tuple) -> None:
    cv2.fillPoly(img, [_pts(points_px)], color, cv2.LINE_AA, _SUBPIXEL_BITS)


def _disc(img: np.ndarray, center_px: np.ndarray, radius_px: float, color: tuple) -> None:
    c = _pts(center_px)
    cv2.circle(img, (int(c[0]), int(c[1])), int(round(radius_px * _SUB)), color, -1,
               cv2.LINE_AA, _SUBPIXEL_BITS)


def _limb(img, p0, p1, r0_px, r1_px, color) -> None:
    """Tapered capsule from `p0` (radius `r0_px`) to `p1` (radius `r1_px`)."""
    d = p1 - p0
    length = float(np.hypot(*d))
    if length > 1e-6:
        n = np.array([-d[1], d[0]]) / length
        _poly(img, np.array([p0 + n * r0_px, p1 + n * r1_px, p1 - n * r1_px, p0 - n * r0_px]), color)
    _disc(img, p0, r0_px, color)
    _disc(img, p1, r1_px, color)


def _shade(color: tuple, far: bool) -> tuple:
    f = _FAR_SHADE if far else 1.0
    return tuple(int(round(c * f)) for c in color)


class _Painter:
    """Draws frames of one clip; holds the static background."""

    def __init__(self, model: RunnerModel, camera: Camera) -> None:
        self.model, self.camera, self.params = model, camera, model.params
        self.near = "left" if self.params.facing == "left" else "right"
        self.background = self._background()

    def _proj(self, xyz_m) -> np.ndarray:
        return self.camera.project(np.asarray(xyz_m, dtype=float))

    def _background(self) -> np.ndarray:
        p = self.params
        img = np.empty((p.height_px, p.width_px, 3), np.uint8)
        img[:] = _WALL
        rows = np.linspace(0.92, 1.04, p.height_px)[:, None, None]
        img[:] = np.clip(img * rows, 0, 255).astype(np.uint8)
        # floor: from the wall-floor edge 2.5 m behind the runner down.
        floor_y = 0.0 if p.overground else -_DECK_DEPTH_M
        edge = self._proj([0.0, floor_y, -2.5])[1]
        img[int(edge):] = _FLOOR
        cv2.line(img, (0, int(edge)), (p.width_px, int(edge)), (90, 95, 100), 2, cv2.LINE_AA)
        if p.overground:
            self._track(img)
            return img
        x0, x1 = _BELT_X_M
        w = _BELT_HALF_WIDTH_M
        top = [(x0, 0, -w), (x1, 0, -w), (x1, 0, w), (x0, 0, w)]
        _poly(img, self._proj(top), _BELT)
        side = [(x0 - 0.05, 0.02, w + 0.05), (x1 + 0.35, 0.02, w + 0.05),
                (x1 + 0.35, -_DECK_DEPTH_M, w + 0.05), (x0 - 0.05, -_DECK_DEPTH_M, w + 0.05)]
        _poly(img, self._proj(side), _DECK)
        return img

    def _track(self, img: np.ndarray) -> None:
        """The still running track under an overground runner, across the whole frame."""
        w = _TRACK_HALF_WIDTH_M
        reach_m = self.params.width_px / self.camera.px_per_m  # beyond either image edge
        _poly(img, self._proj([(-reach_m, 0, -w), (reach_m, 0, -w), (reach_m, 0, w),
                               (-reach_m, 0, w)]), _TRACK)
        for xs in np.arange(-np.ceil(reach_m), reach_m):
            xe = xs + _TRACK_LINE_WIDTH_M
            _poly(img, self._proj([(xs, 0, -w), (xe, 0, -w), (xe, 0, w), (xs, 0, w)]),
                  _TRACK_LINE)

    def _belt_stripes(self, img: np.ndarray, t_s: float) -> None:
        x0, x1 = _BELT_X_M
        w = _BELT_HALF_WIDTH_M
        shift = (-self.model.speed_ms * t_s) % _STRIPE_SPACING_M
        for xs in np.arange(x0 + shift, x1, _STRIPE_SPACING_M):
            xe = min(xs + _STRIPE_WIDTH_M, x1)
            quad = [(xs, 0, -w), (xe, 0, -w), (xe, 0, w), (xs, 0, w)]
            _poly(img, self._proj(quad), _BELT_STRIPE)

    def _leg(self, img, lm, side: str) -> None:
        far = side != self.near
        px = self._proj(lm)
        s = float(self.camera.scale(lm[INDEX[f"{side}_hip"], 2]))
        hip, knee, ankle = (px[INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle"))
        _limb(img, knee, ankle, _SHANK_R[0] * s, _SHANK_R[1] * s, _shade(_SKIN, far))
        _limb(img, hip, knee, _THIGH_R[0] * s, _THIGH_R[1] * s, _shade(_SKIN, far))
        mid = hip + 0.45 * (knee - hip)
        r_mid = (_THIGH_R[0] + 0.45 * (_THIGH_R[1] - _THIGH_R[0])) * s
        _limb(img, hip, mid, _THIGH_R[0] * s * 1.06, r_mid * 1.08, _shade(_SHORTS, far))
        # shoe
        heel_m, toe_m = lm[INDEX[f"{side}_heel"]], lm[INDEX[f"{side}_foot_index"]]
        along = toe_m - heel_m
        foot_len = float(np.linalg.norm(along[:2]))
        e_u = along / foot_len
        e_w = np.array([-e_u[1], e_u[0], 0.0])
        outline = np.array([heel_m + u * foot_len * e_u + w * e_w for u, w in _SHOE_OUTLINE])
        _poly(img, self._proj(outline), _shade(_SHOE, far))
        sole = np.array([heel_m - 0.012 * e_u, toe_m, toe_m + 0.012 * e_w, heel_m - 0.012 * e_u + 0.018 * e_w])
        _poly(img, self._proj(sole), _shade(_SOLE, far))

    def _arm(self, img, lm, side: str) -> None:
        far = side != self.near
        px = self._proj(lm)
        s = float(self.camera.scale(lm[INDEX[f"{side}_shoulder"], 2]))
        sh, el, wr = (px[INDEX[f"{side}_{j}"]] for j in ("shoulder", "elbow", "wrist"))
        hand = (wr + px[INDEX[f"{side}_index"]]) / 2
        _limb(img, el, wr, _FOREARM_R[0] * s, _FOREARM_R[1] * s, _shade(_SKIN, far))
        _disc(img, hand, _HAND_R * s, _shade(_SKIN_SHADE, far))
        _limb(img, sh, el, _UPPER_ARM_R[0] * s, _UPPER_ARM_R[1] * s, _shade(_SKIN, far))
        sleeve = sh + 0.4 * (el - sh)
        _limb(img, sh, sleeve, _UPPER_ARM_R[0] * s * 1.25, _UPPER_ARM_R[0] * s * 1.15,
              _shade(_SHIRT, far))

    def _trunk_and_head(self, img, lm, head_m: np.ndarray) -> None:
        s = self.camera.px_per_m
        hip, sh = (self._proj([*lm[INDEX[f"left_{j}"], :2], 0.0]) for j in ("hip", "shoulder"))
        head = self._proj([head_m[0], head_m[1], 0.0])
        back = np.array([-self.camera.x_sign, 0.0])
        neck_base = sh + back * 0.02 * s
        _limb(img, neck_base, head + np.array([0, 0.06 * s]), _NECK_R * s, _NECK_R * s, _SKIN)
        _limb(img, hip, sh, _TORSO_R[0] * s, _TORSO_R[1] * s, _SHIRT)
        waist = hip + 0.28 * (sh - hip)
        _limb(img, hip, waist, _TORSO_R[0] * s * 1.03, _TORSO_R[0] * s * 1.0, _SHORTS)
        fwd = -back
        hair_c = head + (back * 0.018 + np.array([0, -0.020])) * s
        face_c = head + (fwd * 0.008 + np.array([0, 0.006])) * s
        for c, axes, col in ((hair_c, _HAIR_AXES_M, _HAIR), (face_c, _FACE_AXES_M, _SKIN)):
            cc = _pts(c)
            cv2.ellipse(img, (int(cc[0]), int(cc[1])),
                        (int(axes[0] * s * _SUB), int(axes[1] * s * _SUB)), 0, 0, 360, col, -1,
                        cv2.LINE_AA, _SUBPIXEL_BITS)
        px = self._proj(lm)
        nose = px[INDEX["nose"]]
        near_eye = px[INDEX[f"{self.near}_eye"]]
        ear = px[INDEX[f"{self.near}_ear"]]
        _poly(img, np.array([nose + (back * 0.03 + np.array([0, -0.035])) * s, nose,
                             nose + (back * 0.025 + np.array([0, 0.008])) * s]), _SKIN)
        _disc(img, ear, 0.022 * s, _SKIN_SHADE)
        _disc(img, near_eye, 0.011 * s, (30, 30, 30))
        mouth = px[INDEX[f"mouth_{self.near}"]]
        cv2.line(img, tuple(_pts(mouth)), tuple(_pts(mouth + back * 0.02 * s)), (60, 60, 120),
                 max(1, int(0.006 * s)), cv2.LINE_AA, _SUBPIXEL_BITS)

    def frame(self, t_s: float, lm: np.ndarray, head_m: np.ndarray,
              rng: np.random.Generator) -> np.ndarray:
        """BGR image (height, width, 3) of the runner at clip time `t_s` with landmarks `lm`."""
        img = self.background.copy()
        if not self.params.overground:
            self._belt_stripes(img, t_s)
        far = "right" if self.near == "left" else "left"
        self._arm(img, lm, far)
        self._leg(img, lm, far)
        if self.params.occlusion:
            for q in occluder_polygons_m():
                _poly(img, self._proj(q), _OCCLUDER)
        self._trunk_and_head(img, lm, head_m)
        self._leg(img, lm, self.near)
        self._arm(img, lm, self.near)
        if self.params.image_noise_std > 0:
            noise = rng.normal(0.0, self.params.image_noise_std, img.shape)
            img = np.clip(img + noise, 0, 255).astype(np.uint8)
        return img


def render_frames(params: SynthParams):
    """Yield the clip's frames as BGR uint8 arrays of shape (height_px, width_px, 3)."""
    if params.view == "rear":
        from ._rear_render import render_rear_frames

        yield from render_rear_frames(params)
        return
    model = RunnerModel(params)
    camera = Camera.for_params(params)
    painter = _Painter(model, camera)
    rng = np.random.default_rng([params.seed, 4])
    t = np.arange(params.n_frames) / params.fps
    for k in range(params.n_frames):
        tk = t[k : k + 1]
        head_m = model.head_m(tk)[0] + [model.travel_m(tk)[0], 0.0]
        yield painter.frame(float(t[k]), model.landmarks_m(tk)[0], head_m, rng)


def render_video(path: str | Path, params: SynthParams, *, progress: bool = False) -> dict:
    """Render the synthetic runner to a video file and write its truth beside it.

    Parameters
    ----------
    path : str or Path
        Output video (``.mp4`` is written with the 'mp4v' codec, ``.avi``
        with MJPG).
    params : SynthParams
        The runner, camera and clip.
    progress : bool
        Show a progress bar.

    Returns
    -------
    dict
        The truth (see `synthetic_track`), also written to `truth_path` of
        `path` (``<path without suffix>.truth.json``).

    Notes
    -----
    Both files are written under temporary names in the same folder
    (`gait.output_paths.replacing`) and renamed when complete, the video
    last. If rendering fails or is interrupted (Ctrl-C) the temporary
    files are removed and earlier files at `path` are left as they were.
    Existing files are replaced: the caller checks for them first (``gait
    synth`` without ``--force``).
    """
    path = Path(path)
    fourcc = {".mp4": "mp4v", ".avi": "MJPG"}.get(path.suffix.lower())
    if fourcc is None:
        raise InvalidOptionError(f"video path must end in .mp4 or .avi, got {path.name!r}")
    if params.view == "rear":
        from ._rear import RearCamera, RearModel, make_rear_truth

        truth = make_rear_truth(RearModel(params), RearCamera.for_params(params))
    else:
        truth = make_truth(RunnerModel(params), Camera.for_params(params))
    # the truth is renamed into place first, the video last
    with replacing(path) as tmp_video, replacing(truth_path(path)) as tmp_truth:
        _write_frames(tmp_video, fourcc, params, progress=progress, final=path)
        tmp_truth.write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def _write_frames(path: Path, fourcc: str, params: SynthParams, *, progress: bool,
                  final: Path) -> None:
    """Encode every frame of the clip into `path`, a temporary name of `final`."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), params.fps,
                             (params.width_px, params.height_px))
    if not writer.isOpened():
        raise InvalidOptionError(f"OpenCV cannot write {final} with codec {fourcc!r}")
    frames = render_frames(params)
    if progress:
        from tqdm import tqdm

        frames = tqdm(frames, total=params.n_frames, desc=final.name, unit="frame")
    try:
        for img in frames:
            writer.write(img)
    finally:
        writer.release()
