"""Probing and decoding video files: the only module that opens a video.

`probe_video` reads everything the rest of gait needs to know about a clip
without decoding it: frame size, rotation, the real presentation time of
every frame, the frame rate, and a hash of the file's bytes. `iter_frames`
then decodes the frames, upright, with their real times.

Design choices
--------------
Timestamps
    Phones record variable frame rate, so frame index / nominal fps is not
    time. `probe_video` reads the presentation timestamp of every frame in a
    demux-only pass (OpenCV's raw-stream mode, ``CAP_PROP_FORMAT = -1``):
    packets are read but not decoded, which costs about 0.01 ms per frame
    (hundreds of times cheaper than decoding), and sorting the packet times
    gives exactly the times a full decode reports. Only when the container
    has no usable timestamps does it decode the clip once to get them, and
    when even the decoded frames have none it falls back to the container's
    nominal rate with a warning. One frame is decoded to prove the stream is
    decodable and to get the true frame size.
Rotation
    Phone clips often store the frame sideways plus a display rotation
    (MP4 ``tkhd`` matrix). OpenCV reports it as ``CAP_PROP_ORIENTATION_META``
    but whether it applies it (``CAP_PROP_ORIENTATION_AUTO``) depends on the
    OpenCV version and build: 4.11 from PyPI leaves it off. gait switches
    OpenCV's own rotation off and rotates frames itself, so frames come out
    upright with every OpenCV version.
Slow motion
    A slow-motion clip plays at its nominal rate but was captured faster.
    Given ``capture_fps``, every time is multiplied by
    ``time_scale = playback_fps / capture_fps`` where ``playback_fps`` is the
    rate in the file's own timestamps.
Decoding
    `iter_frames` decodes in a background thread into a small bounded queue,
    so decoding overlaps with pose estimation in the consumer; at most
    ``prefetch_frames`` decoded frames are held.
"""

from __future__ import annotations

import hashlib
import math
import queue
import struct
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import InvalidOptionError, UnreadableVideoError

#: A frame interval differing from the median interval by more than this
#: fraction, and by more than `_VFR_MIN_DEVIATION_MS`, marks a clip as
#: variable frame rate.
_VFR_REL_TOLERANCE = 0.02
#: Matroska/WebM store times in whole milliseconds, so a constant 30 fps clip
#: has intervals of 33 and 34 ms; deviations up to this size are rounding.
_VFR_MIN_DEVIATION_MS = 1.5
#: Allowed shortfall of frames against the container's frame count before a
#: file counts as truncated (WebM/MKV only estimate that count from duration).
_TRUNCATION_TOLERANCE = 0.02
_HASH_CHUNK_BYTES = 1 << 20
#: A frame range starting this far into the clip (ms) is reached by seeking
#: rather than by decoding every frame before it.
_SEEK_MIN_MS = 2000.0
#: Seek this far (ms) before the first wanted frame, then decode forward, so
#: an inexact seek still lands before it.
_SEEK_BACK_MS = 1000.0

_ROTATE_CODES = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


@dataclass(frozen=True, eq=False)
class VideoInfo:
    """What gait knows about a video file before decoding it.

    Parameters
    ----------
    path : Path
        The video file.
    width_px, height_px : int
        Size of the upright frame (after `rotation_deg` is applied), pixels.
    rotation_deg : int
        Clockwise display rotation from the file's metadata: 0, 90, 180 or
        270. Frames from `iter_frames` are already rotated.
    n_frames : int
        Number of frames in the file.
    duration_s : float
        Real-time duration in seconds: time from the first frame to the end
        of the last one (times `time_scale`).
    fps : float
        Real-time frame rate in frames per second: median of 1 / diff(t_s).
    nominal_fps : float
        Frame rate the container declares, frames per second of playback.
    capture_fps : float or None
        Frame rate the camera really recorded at, as given by the user for
        slow-motion clips; None for real-time clips.
    time_scale : float
        Real seconds per second of playback: ``playback_fps / capture_fps``
        (1.0 when `capture_fps` is None), where ``playback_fps`` is the median
        frame rate of the file's own timestamps.
    variable_frame_rate : bool
        True if any frame interval differs from the median interval by more
        than 2 % and more than 1.5 ms (timestamp rounding).
    codec : str
        The video codec's four-character code as OpenCV reports it.
    content_sha256 : str
        SHA-256 of the file's bytes, hex; identifies the clip in caches.
    t_s : ndarray, shape (n_frames,)
        Presentation time of each frame in seconds of real time, first frame
        at 0, strictly increasing. Read-only.
    """

    path: Path
    width_px: int
    height_px: int
    rotation_deg: int
    n_frames: int
    duration_s: float
    fps: float
    nominal_fps: float
    capture_fps: float | None
    time_scale: float
    variable_frame_rate: bool
    codec: str
    content_sha256: str
    t_s: np.ndarray


def probe_video(path: str | Path, *, capture_fps: float | None = None) -> VideoInfo:
    """Read a video's size, rotation, frame times and hash without decoding it.

    Parameters
    ----------
    path : str or Path
        Video file (MP4, MOV, AVI, WebM, ... anything FFmpeg reads).
    capture_fps : float, optional
        For slow-motion clips: the frame rate the camera recorded at, in
        frames per second (for example 120 or 240). Must be at least the
        clip's playback rate. All times are scaled by playback / capture rate.

    Returns
    -------
    VideoInfo

    Raises
    ------
    UnreadableVideoError
        The file is missing, a directory, empty, not a video, has no video
        stream, is truncated, or holds no decodable frame.
    InvalidOptionError
        `capture_fps` is not positive or is below the playback rate.
    """
    path = Path(path)
    _check_file(path)
    cap = _open(path)
    try:
        nominal_fps = float(cap.get(cv2.CAP_PROP_FPS))
        declared_frames = int(max(cap.get(cv2.CAP_PROP_FRAME_COUNT), 0))
        rotation_deg = _rotation_deg(cap)
        codec = _fourcc(cap)
        first = cap.read()[1]
    finally:
        cap.release()
    t_video_ms = _frame_times_ms(path, decode=False)
    n_frames = t_video_ms.size
    if first is None or first.size == 0:
        raise UnreadableVideoError(
            f"{path}: file is truncated or corrupt: decoded 0 frames of an expected "
            f"{max(declared_frames, n_frames)}"
        )
    if declared_frames > n_frames + max(1, _TRUNCATION_TOLERANCE * declared_frames):
        raise UnreadableVideoError(
            f"{path}: file is truncated or corrupt: found {n_frames} of the "
            f"{declared_frames} frames the container lists; re-copy or re-export the video"
        )
    if n_frames < 2:
        raise UnreadableVideoError(
            f"{path}: holds a single image (codec {codec or 'unknown'}), not a video"
        )
    if not _strictly_increasing(t_video_ms):
        t_video_ms = _frame_times_ms(path, decode=True)
        n_frames = t_video_ms.size
        if not _strictly_increasing(t_video_ms):
            if not nominal_fps > 0:
                raise UnreadableVideoError(
                    f"{path}: frames have no timestamps and the container declares no "
                    "frame rate; re-export the video"
                )
            warnings.warn(
                f"{path}: frames have no usable timestamps; assuming a constant "
                f"{nominal_fps:.3f} frames/s from the container",
                stacklevel=2,
            )
            t_video_ms = np.arange(n_frames) * (1000.0 / nominal_fps)
    t_video_ms = t_video_ms - t_video_ms[0]
    intervals_ms = np.diff(t_video_ms)
    median_ms = float(np.median(intervals_ms))
    playback_fps = 1000.0 / median_ms
    time_scale = _time_scale(path, playback_fps, capture_fps)
    deviation_ms = np.abs(intervals_ms - median_ms)
    variable = bool(
        np.any(
            (deviation_ms > _VFR_REL_TOLERANCE * median_ms)
            & (deviation_ms > _VFR_MIN_DEVIATION_MS)
        )
    )
    t_s = t_video_ms * (time_scale / 1000.0)
    t_s.flags.writeable = False
    height_px, width_px = first.shape[:2]
    if rotation_deg in (90, 270):
        width_px, height_px = height_px, width_px
    return VideoInfo(
        path=path,
        width_px=int(width_px),
        height_px=int(height_px),
        rotation_deg=rotation_deg,
        n_frames=int(n_frames),
        duration_s=(float(t_video_ms[-1]) + median_ms) * time_scale / 1000.0,
        fps=playback_fps / time_scale,
        nominal_fps=nominal_fps,
        capture_fps=None if capture_fps is None else float(capture_fps),
        time_scale=time_scale,
        variable_frame_rate=variable,
        codec=codec,
        content_sha256=file_sha256(path),
        t_s=t_s,
    )


def iter_frames(
    info: VideoInfo,
    *,
    start: int = 0,
    stop: int | None = None,
    prefetch_frames: int = 4,
) -> Iterator[tuple[int, float, np.ndarray]]:
    """Decode frames ``start`` to ``stop`` (exclusive), upright, with real times.

    Parameters
    ----------
    info : VideoInfo
        From `probe_video`.
    start, stop : int
        Frame index range, like a slice; ``stop=None`` means to the end.
        A range starting two seconds or more into the clip is reached by
        seeking about a second before `start` and decoding forward (frames
        are matched to the probed times, so the result is the same as
        decoding from the beginning); if the seek misses, decoding restarts
        from the first frame.
    prefetch_frames : int
        Decode ahead in a background thread, holding at most this many
        decoded frames; 0 decodes in the calling thread.

    Returns
    -------
    Iterator of (frame_idx, t_s, frame_bgr), decoding lazily:

    frame_idx : int
        Index of the frame in the file (matches ``info.t_s``). Frames the
        decoder drops are skipped, so indices can jump.
    t_s : float
        Presentation time in seconds of real time.
    frame_bgr : ndarray, shape (height_px, width_px, 3), uint8
        The upright frame, BGR. The consumer owns it.

    Raises
    ------
    InvalidOptionError
        `start`, `stop` or `prefetch_frames` is out of range (at the call).
    UnreadableVideoError
        The file can no longer be opened (on iteration).
    """
    stop = info.n_frames if stop is None else min(stop, info.n_frames)
    if not 0 <= start <= stop:
        raise InvalidOptionError(
            f"frame range start={start}, stop={stop} is invalid for {info.path.name} "
            f"with {info.n_frames} frames; need 0 <= start <= stop"
        )
    if prefetch_frames < 0:
        raise InvalidOptionError(f"prefetch_frames must be >= 0, got {prefetch_frames}")
    frames = _decode(info, start, stop)
    return frames if prefetch_frames == 0 else _prefetched(frames, prefetch_frames)


def _decode(info: VideoInfo, start: int, stop: int) -> Iterator[tuple[int, float, np.ndarray]]:
    """Decode in the current thread; see `iter_frames`."""
    if start >= stop:
        return
    t_video_ms = info.t_s * (1000.0 / info.time_scale)
    # Half the shortest interval: a decoded time matches exactly one frame.
    match_tol_ms = 0.5 * float(np.min(np.diff(t_video_ms)))
    rotate = _ROTATE_CODES.get(info.rotation_deg)
    _check_file(info.path)  # it may have gone since probing
    cap = _open(info.path)
    try:
        idx = -1
        offset_ms = None
        seeked = False
        if t_video_ms[start] >= _SEEK_MIN_MS and cap.grab():
            # Decoded times count from the stream start like the probed ones;
            # the first decoded frame is frame 0.
            offset_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            seeked = cap.set(cv2.CAP_PROP_POS_MSEC,
                             offset_ms + t_video_ms[start] - _SEEK_BACK_MS)
        while cap.grab():
            pos_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            offset_ms = pos_ms if offset_ms is None else offset_ms
            if seeked:
                seeked = False
                idx = _exact_frame(t_video_ms, pos_ms - offset_ms, match_tol_ms)
                if idx is None or idx > start:
                    # The seek landed between probed frames or past `start`:
                    # decode from the beginning instead.
                    cap.release()
                    cap = _open(info.path)
                    idx, offset_ms = -1, None
                    continue
            else:
                idx = _match_frame(t_video_ms, pos_ms - offset_ms, idx, match_tol_ms)
            if idx >= stop:
                break
            if idx < start:
                continue
            ok, frame = cap.retrieve()
            if not ok:
                break
            if rotate is not None:
                frame = cv2.rotate(frame, rotate)
            yield idx, float(info.t_s[idx]), frame
    finally:
        cap.release()


def _exact_frame(t_video_ms: np.ndarray, pos_ms: float, tol_ms: float) -> int | None:
    """Index of the probed frame time within `tol_ms` of `pos_ms`, else None."""
    guess = int(np.searchsorted(t_video_ms, pos_ms - tol_ms))
    if guess < t_video_ms.size and abs(t_video_ms[guess] - pos_ms) <= tol_ms:
        return guess
    return None


def _match_frame(t_video_ms: np.ndarray, pos_ms: float, previous: int, tol_ms: float) -> int:
    """Index of the probed frame time within `tol_ms` of `pos_ms`, else previous + 1.

    Matching by time keeps indices and times right when the decoder drops a
    frame; counting is the fallback for streams without usable timestamps.
    """
    guess = int(np.searchsorted(t_video_ms, pos_ms - tol_ms))
    if previous < guess < t_video_ms.size and abs(t_video_ms[guess] - pos_ms) <= tol_ms:
        return guess
    return previous + 1


_DONE = object()


def _prefetched(frames: Iterator, maxsize: int) -> Iterator:
    """Run the iterator `frames` in a daemon thread, `maxsize` items ahead."""
    items: queue.Queue = queue.Queue(maxsize=maxsize)
    stopping = threading.Event()

    def produce() -> None:
        try:
            for item in frames:
                while not stopping.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stopping.is_set():
                    break
            items.put(_DONE)
        except BaseException as exc:  # handed to the consumer and re-raised there
            items.put(exc)
        finally:
            frames.close()

    worker = threading.Thread(target=produce, name="gait-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stopping.set()
        while worker.is_alive():
            try:
                items.get(timeout=0.1)
            except queue.Empty:
                continue
        worker.join()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableVideoError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise UnreadableVideoError(f"{path}: is a directory, not a video file")
    if not path.is_file():
        raise UnreadableVideoError(f"{path}: is not a regular file (a device or pipe?); save "
                                   "the video to a file first")
    if path.stat().st_size == 0:
        raise UnreadableVideoError(f"{path}: file is empty (0 bytes)")


def _open(path: Path) -> cv2.VideoCapture:
    """Open `path` with FFmpeg, OpenCV's own rotation off; explain any failure."""
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        raise UnreadableVideoError(f"{path}: {_diagnose(path)}")
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    return cap


def _frame_times_ms(path: Path, *, decode: bool) -> np.ndarray:
    """Presentation times of all frames in ms from the stream start, sorted.

    Without `decode`, only packets are read (OpenCV raw-stream mode) where the
    backend supports it; packets come in decoding order, so their times are
    sorted into presentation order. With `decode`, frames are decoded but not
    colour-converted.
    """
    cap = _open(path)
    try:
        raw = not decode and cap.set(cv2.CAP_PROP_FORMAT, -1)
        times = []
        while cap.grab():
            times.append(cap.get(cv2.CAP_PROP_POS_MSEC))
    finally:
        cap.release()
    times_ms = np.asarray(times, dtype=float)
    return np.sort(times_ms) if raw else times_ms


def _strictly_increasing(t_ms: np.ndarray) -> bool:
    return bool(t_ms.size >= 2 and np.all(np.isfinite(t_ms)) and np.all(np.diff(t_ms) > 0))


def _rotation_deg(cap: cv2.VideoCapture) -> int:
    meta = cap.get(cv2.CAP_PROP_ORIENTATION_META)
    if not math.isfinite(meta):
        return 0
    return int(round(meta / 90.0)) * 90 % 360


def _fourcc(cap: cv2.VideoCapture) -> str:
    code = int(cap.get(cv2.CAP_PROP_FOURCC))
    return code.to_bytes(4, "little").decode("ascii", errors="replace").strip("\x00 ")


def _time_scale(path: Path, playback_fps: float, capture_fps: float | None) -> float:
    if capture_fps is None:
        return 1.0
    try:
        capture = float(capture_fps)
    except (TypeError, ValueError):
        capture = math.nan
    if not (math.isfinite(capture) and capture > 0):
        raise InvalidOptionError(
            f"capture frame rate (--capture-fps) must be a positive number of frames per "
            f"second, got {capture_fps!r}"
        )
    if capture < playback_fps * 0.99:
        raise InvalidOptionError(
            f"capture frame rate (--capture-fps) {capture:g} is below the {playback_fps:.2f} "
            f"frames/s that {path.name} plays at; slow motion is captured faster than it plays "
            "(e.g. 120 or 240). Leave it out for real-time video"
        )
    return playback_fps / capture


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, hex (read in 1 MiB blocks; never all in memory)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
)


def _diagnose(path: Path) -> str:
    """Say why FFmpeg could not open `path`, from the file's first bytes."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "not a video file (it is a WAV audio file)"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"not a video file (it is {kind})"
    if head[4:8] == b"ftyp":
        return _diagnose_iso_media(path)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return "not a video file (it is a text file)"
    return "not a video file, or in a format or codec FFmpeg cannot read"


def _diagnose_iso_media(path: Path) -> str:
    """Explain an unopenable MP4/MOV from its top-level boxes and track handlers."""
    size = path.stat().st_size
    boxes = {}
    with path.open("rb") as f:
        offset = 0
        while offset + 8 <= size:
            f.seek(offset)
            box_size, box_type = struct.unpack(">I4s", f.read(8))
            if box_size == 1:
                box_size = struct.unpack(">Q", f.read(8))[0]
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8 or offset + box_size > size:
                return (
                    "file is truncated or corrupt: it ends inside its "
                    f"'{box_type.decode('latin-1')}' box; re-copy or re-export the video"
                )
            boxes[box_type] = (offset, box_size)
            offset += box_size
        if b"moov" not in boxes:
            return (
                "file is truncated or corrupt: its MP4/MOV index ('moov' box) is missing, "
                "as when a recording was cut off; re-copy or re-export the video"
            )
        moov_offset, moov_size = boxes[b"moov"]
        f.seek(moov_offset)
        moov = f.read(moov_size)
    handlers = {moov[i + 12 : i + 16] for i in _find_all(moov, b"hdlr")}
    if b"vide" not in handlers:
        return "contains no video stream (audio only?)"
    return "not a video FFmpeg can read (unsupported codec or corrupt file)"


def _find_all(data: bytes, needle: bytes) -> Iterator[int]:
    i = data.find(needle)
    while i >= 0:
        yield i
        i = data.find(needle, i + 1)
