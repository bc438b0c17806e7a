"""Shared fixtures: real footage, pose tracks of real clips, synthetic clips.

Real footage lives outside the repository in ``../shared/videos`` (see its
README); tests that need it skip when it is absent. Pose tracks of real clips
are computed once per test run (`real_track`) and shared by every module.
Set ``GAIT_TEST_POSE_CACHE=/some/dir`` to keep them between runs (the cache key
covers the video, the backend settings and the mediapipe version).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from gait.track import PoseTrack

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point gait's default cache at a temporary directory, never ~/.cache."""
    cache = tmp_path_factory.mktemp("gait-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAIT_CACHE_DIR", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def _isolated_history_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point gait's history database (``GAIT_DB``) at a per-test file, never the user's store."""
    db = tmp_path / "gait-history.sqlite"
    monkeypatch.setenv("GAIT_DB", str(db))
    return db


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """``../shared/videos`` next to the repository; skips when absent."""
    path = REPO_ROOT.parent / "shared" / "videos"
    if not path.is_dir():
        pytest.skip(f"real footage not available: {path} does not exist")
    return path


@pytest.fixture(scope="session")
def real_track(
    shared_videos: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., PoseTrack]:
    """Factory ``real_track(name, *, stop=None, capture_fps=None, region=None)`` -> PoseTrack.

    Runs MediaPipe pose on ``shared_videos / name`` once per run (per frame
    range) and returns the same track to every caller. Tests using it should
    be marked ``slow`` and ``real``.
    """
    from gait.pose import estimate_pose
    from gait.video import probe_video

    cache_dir = Path(os.environ.get("GAIT_TEST_POSE_CACHE") or tmp_path_factory.mktemp("pose"))
    tracks: dict[tuple, PoseTrack] = {}

    def get(name: str, *, stop: int | None = None, capture_fps: float | None = None,
            region: tuple[float, float, float, float] | None = None) -> PoseTrack:
        key = (name, stop, capture_fps, region)
        if key not in tracks:
            path = shared_videos / name
            if not path.is_file():
                pytest.skip(f"real clip {name} not found in {shared_videos}")
            info = probe_video(path, capture_fps=capture_fps)
            tracks[key] = estimate_pose(info, cache_dir=cache_dir, progress=False, stop=stop,
                                        region=region)
        return tracks[key]

    return get


@pytest.fixture
def make_clip(tmp_path: Path) -> Callable[..., Path]:
    """Factory writing a small synthetic clip with cv2.VideoWriter.

    ``make_clip(name, *, n_frames=12, size_px=(64, 48), fps=30.0,
    fourcc="mp4v", frame_fn=None)``; `frame_fn(i)` returns frame i (BGR uint8
    of shape (height, width, 3)); the default is a uniform grey of level
    ``20 * i``, with a white block in the top-left corner.
    """

    def make(
        name: str,
        *,
        n_frames: int = 12,
        size_px: tuple[int, int] = (64, 48),
        fps: float = 30.0,
        fourcc: str = "mp4v",
        frame_fn: Callable[[int], np.ndarray] | None = None,
    ) -> Path:
        width, height = size_px
        path = tmp_path / name
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (width, height))
        assert writer.isOpened(), f"this OpenCV cannot write {fourcc} into {path.suffix}"
        for i in range(n_frames):
            if frame_fn is None:
                frame = np.full((height, width, 3), (20 * i) % 200, np.uint8)
                frame[: height // 4, : width // 4] = 255
            else:
                frame = frame_fn(i)
            writer.write(frame)
        writer.release()
        return path

    return make
