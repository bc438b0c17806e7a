"""Track the person inside one region of the frame: `RegionBackend`.

MediaPipe's pose model follows one person. With someone else in view (a
runner on the next treadmill, a person walking past, a figure on a poster) it
may follow the wrong one from the start. Giving the part of the frame where
the runner is (``--region``) crops every frame to it before pose estimation
and maps the landmarks back to the whole frame, so everything downstream
(view, scale, overlay) works in the clip's own pixels.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..frame_region import check_region, region_pixels
from .base import PoseBackend, PoseFrame


class RegionBackend:
    """A pose backend that sees only `region` of each frame.

    Parameters
    ----------
    backend : PoseBackend
        The backend that estimates the pose in the cropped frame.
    region : tuple of 4 float
        LEFT, TOP, RIGHT, BOTTOM as fractions of the upright frame (see
        `gait.frame_region.check_region`).

    Notes
    -----
    Landmarks come back in the whole frame's pixels. The region is part of
    `settings`, so poses of different regions are cached apart.
    """

    def __init__(self, backend: PoseBackend, region: tuple[float, float, float, float]) -> None:
        self.backend = backend
        self.region = check_region(region)
        self.name = backend.name

    @property
    def settings(self) -> Mapping[str, object]:
        """The backend's settings with the region."""
        return {**self.backend.settings, "region": list(self.region)}

    def reset(self) -> None:
        """Reset the wrapped backend."""
        self.backend.reset()

    def process(self, frame_bgr: np.ndarray, t_ms: int) -> PoseFrame:
        """Estimate the pose inside the region; landmarks in whole-frame pixels."""
        height_px, width_px = frame_bgr.shape[:2]
        x0, y0, x1, y1 = region_pixels(self.region, width_px, height_px)
        pose = self.backend.process(frame_bgr[y0:y1, x0:x1], t_ms)
        return PoseFrame(xy_px=pose.xy_px + (x0, y0), visibility=pose.visibility,
                         world_m=pose.world_m)
