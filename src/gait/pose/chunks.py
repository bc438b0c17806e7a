"""Pose estimation in overlapping chunks, in parallel worker processes.

A clip is cut into chunks of about `DEFAULT_CHUNK_S` seconds. Each chunk is
decoded from its own seek point and run through its own tracking pose
backend, starting `DEFAULT_OVERLAP_S` seconds early so the tracker has
re-locked onto the runner before the chunk's first kept frame; the overlap
frames are discarded. The chunk layout depends only on the clip (its frame
times), never on the number of workers, so a clip gives the same landmarks
on any machine and with any ``--workers``.

Why chunks and processes: MediaPipe runs one frame at a time on one core
(about 25-30 ms of CPU per frame here, nearly independent of the frame size),
so the only large speed-up on a multi-core machine is to run several
backends at once. Threads would share one interpreter; processes are simpler
to reason about and isolate a crashing native library.

Workers report progress through a queue and stop early (between frames)
when the parent sets a cancel event, so an error in one chunk ends the whole
run promptly and is re-raised in the caller as the original exception.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from ..errors import GaitError
from ..landmarks import N_LANDMARKS
from ..video import VideoInfo, iter_frames
from .base import PoseBackend

#: Target chunk length in seconds of video; the chunk count is then rounded
#: up to a multiple of `CHUNK_MULTIPLE`. Long enough that the lead-in costs
#: little (5-10 %), short enough that a 10 s clip still splits.
DEFAULT_CHUNK_S = 10.0
#: Chunk counts are multiples of this, so 1 or 2 workers (the common
#: machine) get equal shares; every extra chunk costs a lead-in.
CHUNK_MULTIPLE = 2
#: Chunks are never shorter than this many seconds (unless the clip is).
MIN_CHUNK_S = 2.5
#: Frames processed before each chunk (after the first) and thrown away, in
#: seconds: MediaPipe's tracker is off by tens of pixels on the first frame
#: after a reset and settles within about 10 frames.
DEFAULT_OVERLAP_S = 0.5
#: At least this many overlap frames, whatever the frame rate.
MIN_OVERLAP_FRAMES = 10
#: Seconds between progress messages from a worker.
_PROGRESS_INTERVAL_S = 0.2


@dataclass(frozen=True)
class Chunk:
    """Frames ``run_start``..``stop`` are processed; ``keep_start``..``stop`` kept.

    Attributes
    ----------
    run_start : int
        First frame given to the backend (after a reset).
    keep_start : int
        First frame whose pose is kept; ``run_start <= keep_start``.
    stop : int
        One past the last frame.
    """

    run_start: int
    keep_start: int
    stop: int

    @property
    def n_kept(self) -> int:
        """Number of frames this chunk contributes."""
        return self.stop - self.keep_start


def plan_chunks(
    t_s: np.ndarray,
    *,
    start: int,
    stop: int,
    chunk_s: float | None = DEFAULT_CHUNK_S,
    overlap_s: float = DEFAULT_OVERLAP_S,
) -> list[Chunk]:
    """Cut frames [start, stop) into chunks of about `chunk_s` seconds.

    Parameters
    ----------
    t_s : ndarray, shape (n_frames,)
        Frame times in seconds (any time base: only differences matter).
    start, stop : int
        Frame range to cover, `stop` exclusive.
    chunk_s : float or None
        Target chunk length in seconds: the range is split into
        ``round(duration / chunk_s)`` chunks of equal frame count, rounded up
        to a multiple of `CHUNK_MULTIPLE`, as long as chunks stay at least
        `MIN_CHUNK_S` long. None: one chunk (one uninterrupted tracking run).
    overlap_s : float
        Lead-in before every chunk but the first, in seconds (at least
        `MIN_OVERLAP_FRAMES` frames), never reaching before `start`.

    Returns
    -------
    list of Chunk
        Kept ranges tile [start, stop) exactly, in order.
    """
    n = stop - start
    if chunk_s is None or n < 2:
        return [Chunk(start, start, stop)]
    span_s = float(t_s[stop - 1] - t_s[start])
    duration_s = span_s * n / (n - 1)  # n frames last n frame intervals
    n_chunks = CHUNK_MULTIPLE * max(1, math.ceil(round(duration_s / chunk_s) / CHUNK_MULTIPLE))
    n_chunks = max(1, min(n_chunks, int(duration_s / min(MIN_CHUNK_S, chunk_s)),
                          n // (4 * MIN_OVERLAP_FRAMES)))
    bounds = [start + (n * k) // n_chunks for k in range(n_chunks + 1)]
    fps = n / duration_s if duration_s > 0 else 1.0
    overlap = max(MIN_OVERLAP_FRAMES, int(math.ceil(overlap_s * fps)))
    return [
        Chunk(max(start, a - overlap) if k else a, a, b)
        for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))
    ]


@dataclass(frozen=True)
class ChunkPose:
    """Pose of the kept frames of one chunk (arrays as in `PoseTrack`)."""

    chunk: Chunk
    xy_px: np.ndarray
    visibility: np.ndarray
    world_m: np.ndarray


def run_chunk(
    info: VideoInfo,
    backend: PoseBackend,
    chunk: Chunk,
    *,
    on_frames: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ChunkPose | None:
    """Run `backend` over one chunk, from a reset, in the calling process.

    Parameters
    ----------
    info : VideoInfo
    backend : PoseBackend
    chunk : Chunk
    on_frames : callable, optional
        Called with the number of newly finished *kept* frames.
    cancelled : callable, optional
        Polled before every frame; when it returns True the run stops and
        None is returned.

    Returns
    -------
    ChunkPose or None
        None only when cancelled. Frames the decoder cannot deliver stay NaN.
    """
    n = chunk.n_kept
    xy_px = np.full((n, N_LANDMARKS, 2), np.nan)
    visibility = np.full((n, N_LANDMARKS), np.nan)
    world_m = np.full((n, N_LANDMARKS, 3), np.nan)
    t_video_ms = info.t_s * (1000.0 / info.time_scale)
    backend.reset()
    for idx, _, frame in iter_frames(info, start=chunk.run_start, stop=chunk.stop):
        if cancelled is not None and cancelled():
            return None
        pose = backend.process(frame, int(round(t_video_ms[idx])))
        row = idx - chunk.keep_start
        if row >= 0:
            xy_px[row] = pose.xy_px
            visibility[row] = pose.visibility
            world_m[row] = pose.world_m
            if on_frames is not None:
                on_frames(1)
    return ChunkPose(chunk, xy_px, visibility, world_m)


def run_chunks(
    info: VideoInfo,
    backend: PoseBackend,
    chunks: list[Chunk],
    *,
    workers: int,
    on_frames: Callable[[int], None],
) -> list[ChunkPose]:
    """Run all chunks, in `workers` processes (in this process if 1).

    Parameters
    ----------
    info : VideoInfo
    backend : PoseBackend
        Used directly when ``workers == 1``; otherwise pickled once into each
        worker process, which builds its own model.
    chunks : list of Chunk
    workers : int
        Number of processes running chunks at once (>= 1).
    on_frames : callable
        Called in this process with each number of newly finished kept
        frames, in the order they are reported.

    Returns
    -------
    list of ChunkPose
        In the order of `chunks`.

    Raises
    ------
    Exception
        The first error raised in any chunk, as raised there (GaitError
        subclasses keep their class, message and exit code); the other
        chunks are stopped first.
    GaitError
        A worker process died without raising (crash in native code, killed
        for lack of memory).
    """
    workers = max(1, min(workers, len(chunks)))
    if workers == 1:
        return [run_chunk(info, backend, c, on_frames=on_frames) for c in chunks]
    ctx = multiprocessing.get_context("spawn")
    progress = ctx.Queue()
    cancel = ctx.Event()
    results: dict[int, ChunkPose] = {}
    # Frames reported per chunk. Queue messages can arrive after their
    # chunk's result, so a finished chunk is topped up to its full count and
    # its late messages are ignored: the total is exact and never goes back.
    reported = [0] * len(chunks)

    def on_message(message: tuple[int, int]) -> None:
        k, count = message
        if k not in results:
            reported[k] += count
            on_frames(count)

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(backend, progress, cancel))
    futures: dict[Future, int] = {}
    try:
        futures = {pool.submit(_worker_chunk, info, c, k): k for k, c in enumerate(chunks)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=_PROGRESS_INTERVAL_S,
                                 return_when=FIRST_COMPLETED)
            _drain(progress, on_message)
            for future in done:
                k = futures[future]
                results[k] = _result(future, info)
                if reported[k] < chunks[k].n_kept:
                    on_frames(chunks[k].n_kept - reported[k])
    finally:
        cancel.set()
        for future in futures:
            future.cancel()
        # Keep emptying the queue while workers finish, so none blocks on a
        # full pipe at exit; workers stop between frames once `cancel` is set.
        while not all(f.done() for f in futures):
            _drain(progress, None)
            time.sleep(0.05)
        pool.shutdown(wait=True)
        _drain(progress, None)
        progress.close()
    return [results[k] for k in range(len(chunks))]


def _result(future: Future, info: VideoInfo) -> ChunkPose:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise GaitError(
            f"{info.path.name}: a pose worker process died ({exc}); this is a crash in "
            "native code or the machine ran out of memory: retry with --workers 1"
        ) from None


def _drain(progress, on_message: Callable[[tuple[int, int]], None] | None) -> None:
    while True:
        try:
            message = progress.get_nowait()
        except queue.Empty:
            return
        if on_message is not None:
            on_message(message)


# --- inside worker processes ------------------------------------------------------------

_worker: dict = {}


def _init_worker(backend: PoseBackend, progress, cancel) -> None:
    """Per-process set-up: one backend (model built on first use), queue, event."""
    import logging
    import os

    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("absl").setLevel(logging.ERROR)
    _worker.update(backend=backend, progress=progress, cancel=cancel)


def _worker_chunk(info: VideoInfo, chunk: Chunk, k: int) -> ChunkPose | None:
    """Run chunk number `k` in a worker, reporting ``(k, new kept frames)`` in batches."""
    progress, cancel = _worker["progress"], _worker["cancel"]
    unreported = 0
    last = time.monotonic()

    def on_frames(n: int) -> None:
        nonlocal unreported, last
        unreported += n
        now = time.monotonic()
        if now - last >= _PROGRESS_INTERVAL_S:
            progress.put((k, unreported))
            unreported, last = 0, now

    try:
        return run_chunk(info, _worker["backend"], chunk, on_frames=on_frames,
                         cancelled=cancel.is_set)
    finally:
        if unreported:
            progress.put((k, unreported))
