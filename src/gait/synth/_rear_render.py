"""Flat-shaded drawing of the synthetic runner seen from behind the treadmill."""

from __future__ import annotations

import cv2
import numpy as np

from ..landmarks import INDEX
from ._rear import RearCamera, RearModel
from ._render import (_BELT, _BELT_STRIPE, _DECK, _FLOOR, _HAIR, _SHIRT, _SHOE, _SHORTS, _SKIN,
                      _SKIN_SHADE, _SOLE, _WALL, _disc, _limb, _poly)

# Half-thicknesses (radii) in metres at the proximal and distal end of each segment.
_THIGH_R = (0.085, 0.058)
_SHANK_R = (0.055, 0.034)
_UPPER_ARM_R = (0.045, 0.036)
_FOREARM_R = (0.034, 0.026)
_HAND_R = 0.040
_NECK_R = 0.055
_HEAD_AXES_M = (0.085, 0.110)
_WAISTBAND = (215, 215, 220)
_BELT_X_M = (-0.95, 0.85)
_BELT_HALF_WIDTH_M = 0.35
_STRIPE_SPACING_M = 0.35
_STRIPE_WIDTH_M = 0.035


class RearPainter:
    """Draws the frames of one rear-view clip; holds the static background."""

    def __init__(self, model: RearModel, camera: RearCamera) -> None:
        self.model, self.camera, self.params = model, camera, model.params
        self.background = self._background()

    def _proj(self, pts_m) -> np.ndarray:
        return self.camera.project(np.asarray(pts_m, dtype=float))

    def _background(self) -> np.ndarray:
        p = self.params
        img = np.empty((p.height_px, p.width_px, 3), np.uint8)
        img[:] = _WALL
        rows = np.linspace(0.92, 1.04, p.height_px)[:, None, None]
        img[:] = np.clip(img * rows, 0, 255).astype(np.uint8)
        # floor from the wall-floor edge 3 m ahead of the runner (drawn unrolled; the
        # whole frame is rolled afterwards)
        edge = self.camera.center_px[1] - float(self.camera.scale(3.0)) * (0 - self.camera.height_m)
        img[int(edge):] = _FLOOR
        x0, x1 = _BELT_X_M
        w = _BELT_HALF_WIDTH_M
        self._unrolled_poly(img, [(x0, 0, -w), (x1, 0, -w), (x1, 0, w), (x0, 0, w)], _BELT)
        for sign in (-1, 1):  # side rails
            self._unrolled_poly(img, [(x0, 0.0, sign * w), (x1, 0.0, sign * w),
                                      (x1, 0.0, sign * (w + 0.08)), (x0, 0.0, sign * (w + 0.08))],
                                _DECK)
        self._unrolled_poly(img, [(x0, 0.0, -w - 0.08), (x0, 0.0, w + 0.08),
                                  (x0, -0.2, w + 0.08), (x0, -0.2, -w - 0.08)], _DECK)
        return img

    def _unrolled(self, pts_m) -> np.ndarray:
        p = np.asarray(pts_m, dtype=float)
        s = self.camera.scale(p[..., 0])
        u = self.camera.center_px[0] + s * p[..., 2]
        v = self.camera.center_px[1] - s * (p[..., 1] - self.camera.height_m)
        return np.stack([u, v], axis=-1)

    def _unrolled_poly(self, img, pts_m, color) -> None:
        _poly(img, self._unrolled(pts_m), color)

    def _stripes(self, img: np.ndarray, t_s: float) -> None:
        x0, x1 = _BELT_X_M
        w = _BELT_HALF_WIDTH_M
        shift = (-self.model.sagittal.speed_ms * t_s) % _STRIPE_SPACING_M
        for xs in np.arange(x0 + shift, x1, _STRIPE_SPACING_M):
            xe = min(xs + _STRIPE_WIDTH_M, x1)
            self._unrolled_poly(img, [(xs, 0, -w), (xe, 0, -w), (xe, 0, w), (xs, 0, w)],
                                _BELT_STRIPE)

    def _scale(self, x_m: float) -> float:
        return float(self.camera.scale(x_m))

    def _parts(self, lm: np.ndarray, head: np.ndarray) -> list[tuple[float, callable]]:
        """(depth x in metres, draw function) for every body part; drawn far to near."""
        parts = []
        uv = self._unrolled(lm)

        def P(name: str) -> np.ndarray:
            return uv[INDEX[name]]

        def X(name: str) -> float:
            return float(lm[INDEX[name], 0])

        for side in ("left", "right"):
            hip, knee, ankle = (f"{side}_{j}" for j in ("hip", "knee", "ankle"))
            heel, toe = f"{side}_heel", f"{side}_foot_index"

            def thigh(img, hip=hip, knee=knee):
                s = self._scale(X(hip))
                _limb(img, P(hip), P(knee), _THIGH_R[0] * s, _THIGH_R[1] * s, _SKIN)
                mid = P(hip) + 0.42 * (P(knee) - P(hip))
                _limb(img, P(hip), mid, _THIGH_R[0] * s * 1.08, _THIGH_R[1] * s * 1.25, _SHORTS)

            def shank(img, knee=knee, ankle=ankle):
                s = self._scale(X(knee))
                _limb(img, P(knee), P(ankle), _SHANK_R[0] * s, _SHANK_R[1] * s, _SKIN_SHADE)

            def shoe(img, heel=heel, toe=toe, ankle=ankle):
                h, t, a = lm[INDEX[heel]], lm[INDEX[toe]], lm[INDEX[ankle]]
                outline = []
                for base, half in ((h, 0.040), (t, 0.045)):
                    for lat in (-half, half):
                        outline.append(base + np.array([0.0, 0.0, lat]))
                top = [a + np.array([0.0, 0.02, lat]) for lat in (0.04, -0.04)]
                pts = self._unrolled(np.array([outline[0], outline[2], outline[3], outline[1],
                                               top[0], top[1]]))
                hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2)
                _poly(img, hull, _SHOE)
                sole = self._unrolled(np.array([h + [0, -0.005, -0.04], h + [0, -0.005, 0.04],
                                                h + [0, 0.02, 0.04], h + [0, 0.02, -0.04]]))
                _poly(img, sole, _SOLE)

            parts += [(X(hip) + 0.01, thigh), (X(knee) + 0.01, shank),
                      (0.5 * (X(heel) + X(toe)), shoe)]

            sh, el, wr = (f"{side}_{j}" for j in ("shoulder", "elbow", "wrist"))

            def upper_arm(img, sh=sh, el=el):
                s = self._scale(X(sh))
                _limb(img, P(sh), P(el), _UPPER_ARM_R[0] * s, _UPPER_ARM_R[1] * s, _SKIN)
                sleeve = P(sh) + 0.4 * (P(el) - P(sh))
                _limb(img, P(sh), sleeve, _UPPER_ARM_R[0] * s * 1.25, _UPPER_ARM_R[0] * s * 1.1,
                      _SHIRT)

            def forearm(img, el=el, wr=wr):
                s = self._scale(X(el))
                _limb(img, P(el), P(wr), _FOREARM_R[0] * s, _FOREARM_R[1] * s, _SKIN)
                _disc(img, P(wr), _HAND_R * s, _SKIN_SHADE)

            parts += [(X(el) - 0.02, upper_arm), (X(wr), forearm)]

        def torso(img):
            s = self._scale(X("left_hip"))
            lh, rh, ls, rs = P("left_hip"), P("right_hip"), P("left_shoulder"), P("right_shoulder")
            out_h = (rh - lh) / np.linalg.norm(rh - lh)
            waist = 0.5 * (lh + rh)
            hip_pad = 0.06 * s
            sh_pad = 0.04 * s
            poly = np.array([lh - out_h * hip_pad, rh + out_h * hip_pad,
                             rs + out_h * sh_pad, rs + np.array([0, -0.04 * s]),
                             ls + np.array([0, -0.04 * s]), ls - out_h * sh_pad])
            _poly(img, poly, _SHIRT)
            up = 0.5 * (ls + rs) - waist
            shorts = np.array([lh - out_h * hip_pad * 1.1, rh + out_h * hip_pad * 1.1,
                               rh + out_h * hip_pad + 0.25 * up, lh - out_h * hip_pad + 0.25 * up])
            _poly(img, shorts, _SHORTS)
            # buttocks hang from each hip joint, so the gluteal folds show the pelvis tilt
            for hip_px in (lh, rh):
                _disc(img, hip_px + np.array([0.0, 0.03 * s]), 0.085 * s, _SHORTS)
            # waistband along the pelvis line
            band = np.array([lh - out_h * hip_pad * 1.1 + 0.16 * up,
                             rh + out_h * hip_pad * 1.1 + 0.16 * up,
                             rh + out_h * hip_pad * 1.1 + 0.22 * up,
                             lh - out_h * hip_pad * 1.1 + 0.22 * up])
            _poly(img, band, _WAISTBAND)

        def head_and_neck(img):
            s = self._scale(float(head[0]))
            c = self._unrolled(head)
            neck = 0.5 * (P("left_shoulder") + P("right_shoulder"))
            _limb(img, neck, c + np.array([0, 0.05 * s]), _NECK_R * s, _NECK_R * s, _SKIN_SHADE)
            for name in ("left_ear", "right_ear"):
                _disc(img, P(name), 0.022 * s, _SKIN_SHADE)
            cc = np.round(c * 16).astype(int)
            cv2.ellipse(img, (int(cc[0]), int(cc[1])),
                        (int(_HEAD_AXES_M[0] * s * 16), int(_HEAD_AXES_M[1] * s * 16)), 0, 0, 360,
                        _HAIR, -1, cv2.LINE_AA, 4)

        parts += [(X("left_hip") - 0.10, torso), (float(head[0]) - 0.12, head_and_neck)]
        return parts

    def frame(self, t_s: float, lm: np.ndarray, head: np.ndarray,
              rng: np.random.Generator) -> np.ndarray:
        """BGR image of the runner at clip time `t_s` with 3-D landmarks `lm` (33, 3)."""
        img = self.background.copy()
        self._stripes(img, t_s)
        for _, draw in sorted(self._parts(lm, head), key=lambda d: -d[0]):
            draw(img)
        if self.camera.roll_deg:
            w, h = self.camera.size_px
            img = cv2.warpAffine(img, self.camera.roll_matrix(), (w, h),
                                 flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if self.params.image_noise_std > 0:
            noise = rng.normal(0.0, self.params.image_noise_std, img.shape)
            img = np.clip(img + noise, 0, 255).astype(np.uint8)
        return img


def render_rear_frames(params):
    """Yield the rear-view clip's frames as BGR uint8 arrays."""
    model = RearModel(params)
    painter = RearPainter(model, RearCamera.for_params(params))
    rng = np.random.default_rng([params.seed, 4])
    t = np.arange(params.n_frames) / params.fps
    for k in range(params.n_frames):
        tk = t[k:k + 1]
        yield painter.frame(float(t[k]), model.landmarks_m(tk)[0], model.head_m(tk)[0], rng)
