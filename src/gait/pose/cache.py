"""On-disk cache of pose tracks, so a clip is only run through pose estimation once.

A cached track is a `PoseTrack.save` file holding the landmarks in *video*
time (before any slow-motion time scaling), named by a key made of

- the SHA-256 of the video file's bytes (renaming or moving it still hits),
- the backend's name and settings (model, thresholds, library version),
- the frame range processed and the chunking (`gait.pose.chunks`), and
- `POSE_CACHE_VERSION`, bumped whenever the stored content changes meaning.

The directory is ``$GAIT_CACHE_DIR/pose`` if that variable is set, else
``$XDG_CACHE_HOME/gait/pose``, else ``~/.cache/gait/pose``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..track import PoseTrack

#: Version of what a cached pose track means; part of every cache key.
POSE_CACHE_VERSION = 2


def default_cache_dir() -> Path:
    """The user's pose cache directory (not created here)."""
    root = os.environ.get("GAIT_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "pose"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "gait" / "pose"


def cache_key(
    content_sha256: str,
    *,
    backend_name: str,
    backend_settings: Mapping[str, object],
    start: int,
    stop: int,
) -> str:
    """Hex key identifying one pose estimation run; see the module notes."""
    blob = json.dumps(
        {
            "cache_version": POSE_CACHE_VERSION,
            "video_sha256": content_sha256,
            "backend": backend_name,
            "settings": dict(backend_settings),
            "frames": [start, stop],
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    """Where the track for `key` is stored in `cache_dir`."""
    return cache_dir / f"{key[:32]}.npz"


def load_cached(path: Path) -> PoseTrack | None:
    """Read a cached track; None if absent, or unreadable (with a warning)."""
    if not path.is_file():
        return None
    try:
        return PoseTrack.load(path)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        warnings.warn(
            f"ignoring unreadable pose cache file {path} ({type(exc).__name__}: {exc}); "
            "re-running pose estimation",
            stacklevel=3,
        )
        return None


def store(track: PoseTrack, path: Path) -> Path:
    """Write `track` to `path` atomically (a reader never sees a partial file).

    A failure to write (read-only or full disk) only warns: the cache is an
    optimisation.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".pose-", suffix=".npz")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            track.save(tmp)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        warnings.warn(f"could not write pose cache file {path}: {exc}", stacklevel=3)
    return path
