"""Run a pose backend over a video: `estimate_pose`."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from ..errors import InvalidOptionError, NoPersonError
from ..track import PoseTrack
from ..video import VideoInfo
from .base import PoseBackend
from .cache import cache_key, cache_path, default_cache_dir, load_cached, store
from .chunks import DEFAULT_OVERLAP_S, plan_chunks, run_chunks
from .mediapipe_backend import MediaPipePoseBackend
from .region import RegionBackend

#: Default minimum fraction of frames with a person. Below half, the runner is
#: mostly out of frame or hidden and the gait cycles found would be few and
#: unrepresentative. The real clips in ../shared/videos score 0.77 (walker
#: turning) to 1.0 (treadmill).
MIN_DETECTED_FRACTION = 0.5
#: Default seconds (real time) of frames with a person that also suffice: a
#: runner crossing the frame of a camera started early and stopped late is in
#: view for a few seconds of a longer clip (a 6 s clip of a runner crossing a
#: 58° lens's view from 8 m at 10 km/h shows the runner in 47 % of its frames).
#: Two seconds is the shortest stretch `gait.events.select_steady_segment`
#: analyses, which then judges whether the runner was in view long enough.
MIN_DETECTED_S = 2.0


def estimate_pose(
    info: VideoInfo,
    *,
    backend: PoseBackend | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool = True,
    min_detected_fraction: float = MIN_DETECTED_FRACTION,
    min_detected_s: float = MIN_DETECTED_S,
    start: int = 0,
    stop: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    chunk_s: float | None = None,
    overlap_s: float = DEFAULT_OVERLAP_S,
    region: tuple[float, float, float, float] | None = None,
) -> PoseTrack:
    """Estimate the pose in every frame of a video.

    Parameters
    ----------
    info : VideoInfo
        From `gait.video.probe_video`; its `time_scale` (slow motion) is
        applied to the returned times.
    backend : PoseBackend, optional
        Defaults to a new `MediaPipePoseBackend()`, closed afterwards.
    cache_dir : str or Path, optional
        Pose cache directory; default `gait.pose.default_cache_dir()`.
    use_cache : bool
        Read and write the cache. A hit skips pose estimation entirely.
    progress : bool
        Show a progress bar on stderr.
    min_detected_fraction, min_detected_s : float
        Raise `NoPersonError` if a person is found both in fewer than
        `min_detected_fraction` (0-1) of the frames and in frames covering
        less than `min_detected_s` seconds of real time.
    start, stop : int
        Process only frames ``start`` to ``stop`` (exclusive), like a slice.
    on_progress : callable, optional
        Called as ``on_progress(frames_done, frames_total)`` while frames are
        processed (for front ends that draw their own progress, such as the
        web app). Not called on a cache hit. Calls come from this process and
        ``frames_done`` never decreases, whatever the number of workers.
    workers : int
        Processes running pose estimation at once (default 1).
        With more than one, each runs its own copy of `backend` (pickled).
        The result does not depend on it.
    chunk_s : float or None
        The clip is processed in chunks of about this many seconds of video,
        each tracked from scratch after `overlap_s` seconds of lead-in (see
        `gait.pose.chunks`, e.g. `DEFAULT_CHUNK_S`); None (default)
        processes it as one tracking run (one worker), exactly as a plain
        frame-by-frame loop. Part of the cache key.
    overlap_s : float
        Lead-in before each chunk, in seconds, discarded after tracking.
    region : tuple of 4 float, optional
        Track only the person inside this part of the frame: LEFT, TOP, RIGHT,
        BOTTOM as fractions of the upright frame (`gait.pose.region`).
        Landmarks are still in whole-frame pixels. Part of the cache key.

    Returns
    -------
    PoseTrack
        One sample per frame in the range: ``t_s`` in real seconds,
        ``frame_idx`` the frame in the file, ``fps`` the real-time rate,
        ``size_px`` the upright frame, ``source`` the file name, NaN rows
        where no person was found.

    Raises
    ------
    NoPersonError
        Too few frames with a person.
    InvalidOptionError
        Bad frame range, `min_detected_fraction` or `min_detected_s`.
    UnreadableVideoError
        The video cannot be decoded.
    """
    if not 0.0 <= min_detected_fraction <= 1.0:
        raise InvalidOptionError(
            f"min_detected_fraction must be in [0, 1], got {min_detected_fraction!r}"
        )
    if not min_detected_s >= 0.0:
        raise InvalidOptionError(f"min_detected_s must be >= 0, got {min_detected_s!r}")
    stop = info.n_frames if stop is None else stop
    if not (isinstance(workers, int) and workers >= 1):
        raise InvalidOptionError(f"workers must be a whole number >= 1, got {workers!r}")
    if (chunk_s is not None and not chunk_s > 0) or not overlap_s >= 0:
        raise InvalidOptionError(
            f"chunk_s must be positive or None and overlap_s >= 0; got {chunk_s!r}, {overlap_s!r}")
    if not 0 <= start < stop <= info.n_frames:
        raise InvalidOptionError(
            f"frame range start={start}, stop={stop} is invalid for {info.path.name} "
            f"with {info.n_frames} frames; need 0 <= start < stop <= {info.n_frames}"
        )
    owned = backend is None
    if backend is None:
        backend = MediaPipePoseBackend()
    estimator = backend if region is None else RegionBackend(backend, region)
    path = None
    if use_cache:
        key = cache_key(
            info.content_sha256,
            backend_name=estimator.name,
            backend_settings={**estimator.settings,
                              "chunking": {"chunk_s": chunk_s, "overlap_s": overlap_s}},
            start=start,
            stop=stop,
        )
        path = cache_path(Path(cache_dir) if cache_dir is not None else default_cache_dir(), key)
    video_track = None if path is None else _checked(load_cached(path), start, stop)
    if video_track is None:
        with backend if owned else nullcontext():
            video_track = _run_backend(info, estimator, start=start, stop=stop, progress=progress,
                                       on_progress=on_progress, workers=workers,
                                       chunk_s=chunk_s, overlap_s=overlap_s)
        # as the cache will return it: a first analysis and its re-analyses agree exactly
        video_track = video_track.at_stored_precision()
        if path is not None:
            store(video_track, path)
    else:
        video_track = video_track.with_changes(f"pose: loaded from cache {path}")
    track = _to_real_time(video_track, info)
    _require_person(track, min_detected_fraction, min_detected_s)
    return track


def _run_backend(
    info: VideoInfo, backend: PoseBackend, *, start: int, stop: int, progress: bool,
    on_progress: Callable[[int, int], None] | None, workers: int, chunk_s: float | None,
    overlap_s: float,
) -> PoseTrack:
    """Pose for frames [start, stop) in video time (before slow-motion scaling)."""
    n = stop - start
    t_video_s = info.t_s[start:stop] / info.time_scale
    chunks = plan_chunks(info.t_s, start=start, stop=stop, chunk_s=chunk_s, overlap_s=overlap_s)
    bar = tqdm(
        total=n, desc=f"pose {info.path.name}", unit="frame", file=sys.stderr,
        disable=not progress, leave=False,
    )
    done = 0

    def on_frames(count: int) -> None:
        nonlocal done
        done += count
        bar.update(count)
        if on_progress is not None:
            on_progress(done, n)

    with bar:
        parts = run_chunks(info, backend, chunks, workers=workers, on_frames=on_frames)
    xy_px = np.concatenate([p.xy_px for p in parts])
    visibility = np.concatenate([p.visibility for p in parts])
    world_m = np.concatenate([p.world_m for p in parts])
    n_workers = min(workers, len(chunks))
    settings = json.dumps(dict(backend.settings), sort_keys=True)
    return PoseTrack(
        t_s=t_video_s,
        xy_px=xy_px,
        visibility=visibility,
        fps=info.fps * info.time_scale,
        size_px=(info.width_px, info.height_px),
        source=info.path.name,
        world_m=world_m,
        frame_idx=np.arange(start, stop),
        log=(f"pose: {backend.name} {settings} on frames {start}-{stop} of {info.path.name}, "
             f"{len(chunks)} chunk(s) of ~{chunk_s} s with {overlap_s} s lead-in, "
             f"{n_workers} worker(s)",),
    )


def _checked(track: PoseTrack | None, start: int, stop: int) -> PoseTrack | None:
    """A cached track if it covers exactly frames [start, stop), else None."""
    if track is None or not np.array_equal(track.frame_idx, np.arange(start, stop)):
        return None
    return track


def _to_real_time(track: PoseTrack, info: VideoInfo) -> PoseTrack:
    """Apply the clip's slow-motion time scale and current file name."""
    track = replace(track, source=info.path.name)
    if info.time_scale == 1.0:
        return track
    return track.with_changes(
        f"time: scaled by {info.time_scale:.6g} (capture {info.capture_fps:g} frames/s)",
        t_s=track.t_s * info.time_scale,
        fps=track.fps / info.time_scale,
    )


def _require_person(track: PoseTrack, min_detected_fraction: float, min_detected_s: float
                    ) -> None:
    """Raise `NoPersonError` unless either minimum of `estimate_pose` is met."""
    n_found = int(track.detected.sum())
    found_s = n_found / track.fps
    if n_found < min_detected_fraction * track.n_frames and found_s < min_detected_s:
        raise NoPersonError(
            f"{track.source}: pose found in {n_found} of {track.n_frames} frames "
            f"({100.0 * n_found / track.n_frames:.0f} %, {found_s:.1f} s; need "
            f"{100.0 * min_detected_fraction:.0f} % or {min_detected_s:.1f} s); "
            "is the person's whole body in frame and well lit?"
        )
