"""The `PoseTrack` type: one clip's pose landmarks over time.

Cleaning (swap repair, gap filling, filtering) lives in `gait.clean`; this
module only defines the data and its storage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .landmarks import N_LANDMARKS
from .output_paths import replacing

TRACK_FORMAT_VERSION = 1
#: Type `PoseTrack.save` stores landmarks and visibility in: single precision, as
#: MediaPipe computes them (about 0.00003 px at 1920 px, far below its error).
STORED_FLOAT = np.float32


@dataclass(frozen=True, eq=False)
class PoseTrack:
    """Pose landmarks of one person over one clip.

    Parameters
    ----------
    t_s : ndarray, shape (n_frames,)
        Presentation time of each frame in seconds of *real* time (already
        rescaled for slow motion), strictly increasing.
    xy_px : ndarray, shape (n_frames, 33, 2)
        Landmark image coordinates in pixels of the upright (rotation
        applied) frame; x to the right, y downwards. NaN where no person was
        found.
    visibility : ndarray, shape (n_frames, 33)
        Per-landmark visibility/confidence in [0, 1]; NaN where no person.
    fps : float
        Nominal frame rate in frames per second of real time (median of
        1 / diff(t_s)); sampling rate for filters.
    size_px : tuple of int
        Frame (width, height) in pixels.
    source : str
        Where the landmarks came from (video file name, "synthetic", ...).
    world_m : ndarray, shape (n_frames, 33, 3), optional
        MediaPipe world landmarks in metres (hip-centred), NaN where absent.
    frame_idx : ndarray, shape (n_frames,), optional
        Index of each sample in the decoded video; defaults to 0..n-1.
    log : tuple of str
        Provenance: one line per operation applied to this track.
    """

    t_s: np.ndarray
    xy_px: np.ndarray
    visibility: np.ndarray
    fps: float
    size_px: tuple[int, int]
    source: str = ""
    world_m: np.ndarray | None = None
    frame_idx: np.ndarray | None = None
    log: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        t = np.asarray(self.t_s, dtype=float)
        xy = np.asarray(self.xy_px, dtype=float)
        vis = np.asarray(self.visibility, dtype=float)
        n = t.shape[0]
        if t.ndim != 1:
            raise ValueError(f"t_s must be 1-D, got shape {t.shape}")
        if xy.shape != (n, N_LANDMARKS, 2):
            raise ValueError(f"xy_px must have shape ({n}, {N_LANDMARKS}, 2), got {xy.shape}")
        if vis.shape != (n, N_LANDMARKS):
            raise ValueError(f"visibility must have shape ({n}, {N_LANDMARKS}), got {vis.shape}")
        if n > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("t_s must be strictly increasing")
        if not (self.fps > 0):
            raise ValueError(f"fps must be positive, got {self.fps}")
        object.__setattr__(self, "t_s", t)
        object.__setattr__(self, "xy_px", xy)
        object.__setattr__(self, "visibility", vis)
        if self.world_m is not None:
            w = np.asarray(self.world_m, dtype=float)
            if w.shape != (n, N_LANDMARKS, 3):
                raise ValueError(f"world_m must have shape ({n}, {N_LANDMARKS}, 3), got {w.shape}")
            object.__setattr__(self, "world_m", w)
        idx = np.arange(n) if self.frame_idx is None else np.asarray(self.frame_idx, dtype=int)
        if idx.shape != (n,):
            raise ValueError(f"frame_idx must have shape ({n},), got {idx.shape}")
        object.__setattr__(self, "frame_idx", idx)
        object.__setattr__(self, "size_px", (int(self.size_px[0]), int(self.size_px[1])))
        object.__setattr__(self, "log", tuple(self.log))

    @property
    def n_frames(self) -> int:
        """Number of samples."""
        return int(self.t_s.shape[0])

    @property
    def detected(self) -> np.ndarray:
        """Boolean mask, shape (n_frames,): a person was found in the frame."""
        return np.isfinite(self.xy_px).all(axis=2).any(axis=1)

    def at_stored_precision(self) -> "PoseTrack":
        """This track with landmarks and visibility rounded as `save` stores them (`STORED_FLOAT`).

        A track estimated now and the same track read back from a file
        (the pose cache, ``pose_track.npz``) are then identical, so
        everything computed from them is too.
        """
        return replace(self, xy_px=self.xy_px.astype(STORED_FLOAT),
                       visibility=self.visibility.astype(STORED_FLOAT),
                       world_m=None if self.world_m is None else
                       self.world_m.astype(STORED_FLOAT))

    def with_changes(self, note: str, **changes) -> "PoseTrack":
        """Return a copy with some fields replaced and `note` added to the log."""
        return replace(self, log=self.log + (note,), **changes)

    def save(self, path: str | Path) -> Path:
        """Write the track to a compressed ``.npz`` file and return its path."""
        path = Path(path)
        meta = {
            "format_version": TRACK_FORMAT_VERSION,
            "fps": self.fps,
            "size_px": list(self.size_px),
            "source": self.source,
            "log": list(self.log),
        }
        arrays = {
            "t_s": self.t_s,
            "xy_px": self.xy_px.astype(STORED_FLOAT),
            "visibility": self.visibility.astype(STORED_FLOAT),
            "frame_idx": self.frame_idx,
            "meta_json": np.array(json.dumps(meta)),
        }
        if self.world_m is not None:
            arrays["world_m"] = self.world_m.astype(STORED_FLOAT)
        with replacing(path) as tmp:
            np.savez_compressed(tmp, **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "PoseTrack":
        """Read a track written by `save`."""
        with np.load(Path(path), allow_pickle=False) as data:
            meta = json.loads(str(data["meta_json"]))
            if meta.get("format_version") != TRACK_FORMAT_VERSION:
                raise ValueError(
                    f"{path}: pose track format {meta.get('format_version')} is not "
                    f"{TRACK_FORMAT_VERSION}; delete it to re-run pose estimation"
                )
            return cls(
                t_s=data["t_s"],
                xy_px=data["xy_px"].astype(float),
                visibility=data["visibility"].astype(float),
                fps=float(meta["fps"]),
                size_px=tuple(meta["size_px"]),
                source=meta["source"],
                world_m=data["world_m"].astype(float) if "world_m" in data else None,
                frame_idx=data["frame_idx"],
                log=tuple(meta["log"]),
            )
