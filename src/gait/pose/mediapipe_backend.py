"""MediaPipe Pose (BlazePose GHUM 3D, legacy solutions API): the default backend.

This is the only module that imports mediapipe; it does so when the first
frame is processed, so building a backend (for example to look up a cached
result) costs nothing.

Choices
-------
- ``static_image_mode=False``: the landmark model tracks the person from
  frame to frame and the detector only runs when tracking is lost; faster and
  steadier than detecting in every frame.
- ``smooth_landmarks=False`` by default: MediaPipe's landmark smoothing (a
  one-euro style filter) is causal and lags fast movements such as the foot
  at contact; gait filters tracks itself with zero-phase filters
  (`gait.clean`), so smoothing here would only delay event times.
- ``model_complexity=1`` (the "full" model) is the only model in the
  mediapipe wheel; 0 (lite) and 2 (heavy) would be downloaded at run time,
  which fails offline, so they are refused unless their model file is
  already installed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

import cv2
import numpy as np

from ..errors import InvalidOptionError
from ..landmarks import N_LANDMARKS
from .base import PoseFrame
from .native_log import quiet_native_log

_MODEL_FILES = {0: "pose_landmark_lite.tflite", 1: "pose_landmark_full.tflite", 2: "pose_landmark_heavy.tflite"}


class MediaPipePoseBackend:
    """MediaPipe Pose on CPU, one person per frame.

    Parameters
    ----------
    model_complexity : {1, 0, 2}
        1 = full model (shipped). 0 = lite and 2 = heavy only if their model
        files are already installed in the mediapipe package.
    smooth_landmarks : bool
        MediaPipe's own temporal smoothing; off by default (see module notes).
    min_detection_confidence : float
        Person detector score in [0, 1] needed to start tracking.
    min_tracking_confidence : float
        Landmark-model presence score in [0, 1] needed to keep tracking
        (below it the detector runs again on the next frame).

    Raises
    ------
    InvalidOptionError
        Unknown or uninstalled model complexity, or confidence outside [0, 1].
    ModuleNotFoundError
        mediapipe is not installed.

    Notes
    -----
    Not thread-safe; one instance per process. Pickling copies the settings
    only, so a copy can be sent to a worker process. Call `close` (or use it as a
    context manager) to free the graph.
    """

    name = "mediapipe-pose"

    def __init__(
        self,
        *,
        model_complexity: int = 1,
        smooth_landmarks: bool = False,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        package_dir = _mediapipe_dir()
        if model_complexity not in _MODEL_FILES:
            raise InvalidOptionError(
                f"model_complexity must be 0, 1 or 2, got {model_complexity!r}"
            )
        model_path = package_dir / "modules" / "pose_landmark" / _MODEL_FILES[model_complexity]
        if not model_path.is_file():
            raise InvalidOptionError(
                f"model_complexity={model_complexity} needs {model_path.name}, which is not "
                "installed (mediapipe would download it at run time); use "
                "model_complexity=1, the model shipped with mediapipe"
            )
        for label, value in (
            ("min_detection_confidence", min_detection_confidence),
            ("min_tracking_confidence", min_tracking_confidence),
        ):
            if not 0.0 <= value <= 1.0:
                raise InvalidOptionError(f"{label} must be in [0, 1], got {value!r}")
        self.settings = {
            "mediapipe_version": importlib.metadata.version("mediapipe"),
            "model_complexity": int(model_complexity),
            "smooth_landmarks": bool(smooth_landmarks),
            "min_detection_confidence": float(min_detection_confidence),
            "min_tracking_confidence": float(min_tracking_confidence),
        }
        self._pose = None
        #: True from a graph's start until it first finds a person: the calls that
        #: make MediaPipe write its start-up log lines (see `gait.pose.native_log`).
        self._starting = True

    def reset(self) -> None:
        """Forget the tracked person; the next frame runs the detector."""
        if self._pose is not None:
            self._pose.reset()
            self._starting = True

    def process(self, frame_bgr: np.ndarray, t_ms: int) -> PoseFrame:
        """Estimate the pose in one BGR frame; see `PoseBackend.process`.

        The legacy solutions API keeps its own clock, so `t_ms` is not used;
        with smoothing off, results do not depend on it.
        """
        height_px, width_px = frame_bgr.shape[:2]
        frame_rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        frame_rgb.flags.writeable = False
        if self._starting:
            with quiet_native_log():
                if self._pose is None:
                    self._pose = self._build()
                result = self._pose.process(frame_rgb)
            self._starting = result.pose_landmarks is None
        else:
            result = self._pose.process(frame_rgb)
        if result.pose_landmarks is None:
            return PoseFrame.missing()
        image = np.array(
            [(p.x, p.y, p.visibility) for p in result.pose_landmarks.landmark], dtype=float
        )
        xy_px = image[:, :2] * (width_px, height_px)
        if result.pose_world_landmarks is None:
            world_m = np.full((N_LANDMARKS, 3), np.nan)
        else:
            world_m = np.array(
                [(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark], dtype=float
            )
        return PoseFrame(xy_px=xy_px, visibility=image[:, 2], world_m=world_m)

    def close(self) -> None:
        """Free the MediaPipe graph; `process` builds a new one if called again."""
        if self._pose is not None:
            self._pose.close()
            self._pose = None
            self._starting = True

    def __getstate__(self) -> dict:
        """Pickle the settings only (for worker processes); the copy builds its own graph."""
        return {**self.__dict__, "_pose": None}

    def __enter__(self) -> "MediaPipePoseBackend":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _build(self):
        from mediapipe.python.solutions import pose as mp_pose

        s = self.settings
        return mp_pose.Pose(
            static_image_mode=False,
            model_complexity=s["model_complexity"],
            smooth_landmarks=s["smooth_landmarks"],
            enable_segmentation=False,
            min_detection_confidence=s["min_detection_confidence"],
            min_tracking_confidence=s["min_tracking_confidence"],
        )


def _mediapipe_dir() -> Path:
    """The installed mediapipe package directory, found without importing it."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the mediapipe pose backend needs the 'mediapipe' package: pip install mediapipe==0.10.21"
        )
    return Path(next(iter(spec.submodule_search_locations)))
