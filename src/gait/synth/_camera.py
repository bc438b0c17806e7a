"""The pinhole camera shared by the synthetic track and the renderer."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._params import SynthParams

# Image row of the belt surface (mid-sagittal plane), as a fraction of frame height.
_BELT_ROW_FRAC = 0.90
# Camera height above the belt, metres (about hip height of a runner).
_CAMERA_HEIGHT_M = 0.9


@dataclass(frozen=True)
class Camera:
    """Pinhole camera looking along -z at the runner's mid-sagittal plane (z = 0).

    Parameters
    ----------
    px_per_m : float
        Image scale in the plane z = 0, pixels per metre.
    distance_m : float
        Camera to the plane z = 0; ``inf`` for an orthographic camera.
    center_px : tuple of float
        Image point (x, y) of the optical axis.
    height_m : float
        Camera height above the belt.
    x_sign : float
        +1 if the running direction is image-right, -1 if image-left.
    """

    px_per_m: float
    distance_m: float
    center_px: tuple[float, float]
    height_m: float
    x_sign: float

    @classmethod
    def for_params(cls, params: SynthParams) -> "Camera":
        """The camera that frames `params`' runner: mid-hip centred, belt near the bottom."""
        px_per_m = params.body_height_frac * params.height_px / params.height_m
        belt_row = _BELT_ROW_FRAC * params.height_px
        return cls(
            px_per_m=px_per_m,
            distance_m=float(params.camera_distance_m),
            center_px=(params.width_px / 2, belt_row - px_per_m * _CAMERA_HEIGHT_M),
            height_m=_CAMERA_HEIGHT_M,
            x_sign=-1.0 if params.facing == "left" else 1.0,
        )

    def scale(self, z_m: np.ndarray | float) -> np.ndarray:
        """Pixels per metre for points at depth `z_m` (towards the camera)."""
        z = np.asarray(z_m, dtype=float)
        if math.isinf(self.distance_m):
            return np.full_like(z, self.px_per_m)
        return self.px_per_m * self.distance_m / (self.distance_m - z)

    def project(self, xyz_m: np.ndarray) -> np.ndarray:
        """World points (..., 3) in metres -> image points (..., 2) in pixels."""
        xyz = np.asarray(xyz_m, dtype=float)
        s = self.scale(xyz[..., 2])
        x = self.center_px[0] + self.x_sign * s * xyz[..., 0]
        y = self.center_px[1] - s * (xyz[..., 1] - self.height_m)
        return np.stack([x, y], axis=-1)

    def plane_mapping(self, z_m: float) -> dict:
        """Exact pixel -> world mapping for points in the plane at depth `z_m`.

        ``x_m = x_sign * (x_px - origin_px[0]) / px_per_m`` and
        ``y_m = (origin_px[1] - y_px) / px_per_m``, where ``origin_px`` is
        the image of the world point (0, 0, z_m) (mid-hip mean x, belt level).
        """
        s = float(self.scale(z_m))
        origin = self.project(np.array([0.0, 0.0, z_m]))
        return {
            "z_m": float(z_m),
            "px_per_m": s,
            "origin_px": [float(origin[0]), float(origin[1])],
            "x_sign": self.x_sign,
        }
