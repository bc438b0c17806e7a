"""Pose estimation: video frames to a `PoseTrack`.

The only package that imports mediapipe (lazily, in `mediapipe_backend`).
Backends follow the small `PoseBackend` protocol, so another model can be
dropped in; results are cached on disk by video content and backend settings.

A clip is processed in overlapping chunks of about ten seconds, each tracked
from scratch, spread over worker processes (`gait.pose.chunks`); the chunk
layout depends only on the clip, so results do not depend on the number of
workers.
"""

from .base import PoseBackend, PoseFrame
from .cache import POSE_CACHE_VERSION, cache_key, default_cache_dir
from .estimate import MIN_DETECTED_FRACTION, MIN_DETECTED_S, estimate_pose
from .mediapipe_backend import MediaPipePoseBackend

__all__ = [
    "MIN_DETECTED_FRACTION",
    "MIN_DETECTED_S",
    "POSE_CACHE_VERSION",
    "MediaPipePoseBackend",
    "PoseBackend",
    "PoseFrame",
    "cache_key",
    "default_cache_dir",
    "estimate_pose",
]
