"""The small protocol every pose backend implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..landmarks import N_LANDMARKS


@dataclass(frozen=True)
class PoseFrame:
    """Pose landmarks of one person in one frame.

    Parameters
    ----------
    xy_px : ndarray, shape (33, 2)
        Image coordinates in pixels of the frame given to the backend; x to the
        right, y downwards. NaN where no person was found.
    visibility : ndarray, shape (33,)
        Per-landmark visibility in [0, 1]; NaN where no person was found.
    world_m : ndarray, shape (33, 3)
        Hip-centred 3-D coordinates in metres; NaN where not available.
    """

    xy_px: np.ndarray
    visibility: np.ndarray
    world_m: np.ndarray

    @classmethod
    def missing(cls) -> "PoseFrame":
        """The result for a frame without a person: all NaN."""
        return cls(
            xy_px=np.full((N_LANDMARKS, 2), np.nan),
            visibility=np.full(N_LANDMARKS, np.nan),
            world_m=np.full((N_LANDMARKS, 3), np.nan),
        )


@runtime_checkable
class PoseBackend(Protocol):
    """A pose estimator that turns video frames into landmarks, one at a time.

    Attributes
    ----------
    name : str
        Short identifier, part of the pose cache key ("mediapipe", ...).
    settings : Mapping
        Everything that changes the backend's output (model, thresholds,
        library version), JSON-serialisable; part of the pose cache key.
    """

    name: str
    settings: Mapping[str, object]

    def reset(self) -> None:
        """Forget any state from earlier frames; called before each clip."""

    def process(self, frame_bgr: np.ndarray, t_ms: int) -> PoseFrame:
        """Estimate the pose in one frame.

        Parameters
        ----------
        frame_bgr : ndarray, shape (height, width, 3), uint8
            Upright frame, BGR as decoded by OpenCV. Not modified.
        t_ms : int
            Presentation time of the frame in milliseconds of video time,
            strictly increasing within a clip (for tracking backends).

        Returns
        -------
        PoseFrame
            All NaN when no person is found; never raises for that.
        """
