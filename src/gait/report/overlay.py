"""``overlay.mp4``: the input video with skeleton, foot contacts and running cadence drawn on.

Codec: H.264 (High profile, yuv420p) in an MP4 container with the index at
the front ("faststart"), which every current browser plays in a ``<video>``
element and which streams before it has fully downloaded. It is encoded with
libx264 through PyAV (`av` on PyPI), whose wheels bundle FFmpeg with libx264,
so ``pip install`` is enough. The alternatives were checked and rejected:
OpenCV's pip wheels ship an FFmpeg without an H.264 encoder
(``cv2.VideoWriter`` with 'avc1'/'H264' fails to open), and their 'mp4v'
(MPEG-4 part 2) does not play in browsers; VP9 in WebM would play but is not
the MP4 the report links and plays less widely on Apple devices; the
``imageio-ffmpeg`` static binary would mean piping frames to a subprocess.

The video is written at the clip's playback frame rate (slow-motion clips stay
slow; the cadence shown is in real time). Frame sizes are cropped to even
numbers of pixels, which yuv420p needs. Frames where no person was found are
written without drawings.

Encoding takes most of a report's time, so an overlay is not encoded again
for the same inputs: beside ``overlay.mp4``, ``overlay.fingerprint.json``
records what it was made from (`overlay_fingerprint`) and the size and
SHA-256 of the overlay file itself, and `write_overlay` keeps a file whose
record matches in every part: it was drawn from the same frames, landmarks and
results by the same code, so it shows what a new encoding would.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from .. import __version__, landmarks, video
from ..errors import OutputExistsError
from ..frame_region import region_pixels
from ..landmarks import LEFT_RIGHT_PAIRS, LEG, SKELETON_EDGES
from ..output_paths import replacing
from ..result import GaitResult
from ..track import PoseTrack
from ..video import VideoInfo, file_sha256, iter_frames, probe_video
from .assets import cleaned_track

#: BGR colour per foot (left blue, right orange), plus line style by thickness.
SIDE_BGR = {"left": (121, 78, 31), "right": (46, 74, 179)}
#: Steps averaged for the running cadence shown on the video.
RUNNING_CADENCE_STEPS = 4
#: Constant rate factor of libx264 (lower is better quality; 23 is its default).
CRF = 23
#: Ending of the fingerprint file beside an overlay (``overlay.fingerprint.json``).
FINGERPRINT_SUFFIX = ".fingerprint.json"

_LEFT_POINTS = {a for a, _ in LEFT_RIGHT_PAIRS}


def running_cadence_spm(result: GaitResult, t_s: np.ndarray, *,
                        n_steps: int = RUNNING_CADENCE_STEPS) -> np.ndarray:
    """Cadence from the last `n_steps` step times before each time.

    Parameters
    ----------
    result : GaitResult
    t_s : ndarray, shape (n,)
        Times, s (real time).
    n_steps : int
        Steps averaged.

    Returns
    -------
    ndarray, shape (n,)
        ``60000 × n_steps / (sum of the last n_steps step times in ms)``,
        steps/min; NaN before enough steps have happened.
    """
    steps = sorted((s["ic_s"], s["step_time_ms"]) for s in result.steps if s.get("step_time_ms"))
    ic = np.array([s[0] for s in steps])
    dur = np.array([s[1] for s in steps])
    out = np.full(len(t_s), np.nan)
    for i, t in enumerate(t_s):
        done = np.searchsorted(ic, t, side="right")
        if done >= n_steps:
            out[i] = 60000.0 * n_steps / dur[done - n_steps:done].sum()
    return out


def _stance(result: GaitResult, side: str, t: float) -> tuple[bool, bool]:
    """(foot on the belt at t, initial contact within the last 0.1 s).

    A foot whose toe-offs the pose model lost (``result.lost_foot``) is not
    shown as on the belt, as where its stance ends is not known; its
    landings are still marked.
    """
    on = fresh = False
    for e in result.events:
        if e["foot"] != side or e["ic_s"] > t:
            continue
        end = e["to_s"] if e.get("to_s") is not None and side != result.lost_foot else e["ic_s"]
        on |= t <= end
        fresh |= t - e["ic_s"] <= 0.1
    return on, fresh


def _label(img: np.ndarray, text: str, org: tuple[int, int], scale: float) -> None:
    thick = max(1, int(round(scale * 2)))
    (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    x, y = org
    cv2.rectangle(img, (x - 4, y - h - 6), (x + w + 4, y + base + 2), (255, 255, 255), -1)
    cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick, cv2.LINE_AA)


def draw_overlay(frame_bgr: np.ndarray, xy_px: np.ndarray, *, result: GaitResult, t_s: float,
                 cadence_spm: float, bridged: bool = False) -> np.ndarray:
    """Draw skeleton, contacts and cadence on one frame.

    Parameters
    ----------
    frame_bgr : ndarray, shape (h, w, 3), uint8
        The upright frame (not modified).
    xy_px : ndarray, shape (33, 2)
        Cleaned landmarks of this frame, pixels; NaN where absent.
    result : GaitResult
        Gives the contacts and the clip cadence.
    t_s : float
        Frame time, s (real time).
    cadence_spm : float
        Running cadence at this frame (NaN before it is known).
    bridged : bool
        The pose model found no person in this frame and the landmarks were
        filled in by cleaning: the skeleton is drawn thin and labelled so.

    Returns
    -------
    ndarray, shape (h, w, 3), uint8
    """
    img = frame_bgr.copy()
    h, w = img.shape[:2]
    lw = max(2, int(round(h / 240)))
    scale = max(0.45, h / 900)
    region = result.options.get("region")
    if region:  # the part of the frame the pose model was given (--region)
        x0, y0, x1, y1 = region_pixels(region, w, h)
        cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), (200, 200, 200), max(1, lw // 2),
                      cv2.LINE_AA)
    bone = max(1, lw // 2) if bridged else lw
    for a, b in SKELETON_EDGES:
        if not np.isfinite(xy_px[[a, b]]).all():
            continue
        side = "left" if a in _LEFT_POINTS and b in _LEFT_POINTS else \
            "right" if a not in _LEFT_POINTS and b not in _LEFT_POINTS else None
        colour = (255, 255, 255) if side is None else SIDE_BGR[side]
        p, q = (tuple(int(round(v)) for v in xy_px[i]) for i in (a, b))
        cv2.line(img, p, q, colour, bone, cv2.LINE_AA)
    for side in ("left", "right"):
        heel = xy_px[LEG[side][3]]
        if not np.isfinite(heel).all():
            continue
        on, fresh = _stance(result, side, t_s)
        centre = tuple(int(round(v)) for v in heel)
        if on:
            cv2.circle(img, centre, lw * 4, SIDE_BGR[side], -1, cv2.LINE_AA)
            cv2.circle(img, centre, lw * 4, (255, 255, 255), max(1, lw // 2), cv2.LINE_AA)
        if fresh:
            cv2.circle(img, centre, lw * 9, (0, 255, 255), lw, cv2.LINE_AA)
            _label(img, f"{side[0].upper()} contact", (centre[0] - lw * 10, centre[1] - lw * 11),
                   scale * 0.8)
    clip = result.summary["cadence_spm"]["value"]
    y = int(30 * scale / 0.6)
    _label(img, "cadence: counting steps" if not np.isfinite(cadence_spm)
           else f"cadence {cadence_spm:.0f} steps/min", (10, y), scale)
    if clip is not None:
        _label(img, f"whole clip {clip:.1f}", (10, int(y * 2.1)), scale * 0.8)
    _label(img, f"t {t_s:5.2f} s", (10, h - 12), scale * 0.7)
    if bridged:
        _label(img, "person not found in this frame: pose filled in",
               (10, int(y * 3.1)), scale * 0.7)
    return img


def fingerprint_path(path: str | Path) -> Path:
    """The fingerprint file beside an overlay: ``overlay.fingerprint.json`` for ``overlay.mp4``."""
    path = Path(path)
    return path.with_name(path.stem + FINGERPRINT_SUFFIX)


def overlay_fingerprint(result: GaitResult, track: PoseTrack, filtered: PoseTrack,
                        info: VideoInfo) -> dict[str, str]:
    """SHA-256 digests of everything an overlay video is made from.

    Parameters
    ----------
    result : GaitResult
    track : PoseTrack
        Raw landmarks.
    filtered : PoseTrack
        `track` cleaned as in the analysis (`gait.report.assets.cleaned_track`).
    info : VideoInfo
        The probed video (`gait.video.probe_video`).

    Returns
    -------
    dict of str to str
        Hex digest per part:

        - "video": the file's content and its probed size, rotation and frame
          times (the capture rate is in the times);
        - "track": the raw landmarks, the frames where the pose model found the
          runner, and the cleaned landmarks drawn (so a change of cleaning
          counts too);
        - "result": what the frames show of the result (`drawn_result`), so a
          re-analysis that changes only belt speed, height or the runner's
          answers keeps the overlay;
        - "code": the source of this module and of `gait.landmarks` and
          `gait.video` (drawing and decoding), and the versions of gait,
          NumPy, OpenCV, PyAV and its FFmpeg libraries.
    """
    import av

    raw = [getattr(track, f) for f in ("t_s", "xy_px", "visibility", "world_m", "frame_idx",
                                       "fps", "size_px")]
    return {
        "video": _digest(info.content_sha256, info.width_px, info.height_px, info.rotation_deg,
                         info.n_frames, info.fps, info.time_scale, info.t_s),
        "track": _digest(*raw, track.detected, filtered.xy_px, filtered.frame_idx),
        "result": _digest(drawn_result(result)),
        "code": _digest(*(Path(m.__file__).read_bytes() for m in (landmarks, video)),
                        Path(__file__).read_bytes(), __version__, np.__version__,
                        cv2.__version__, av.__version__, av.library_versions),
    }


def drawn_result(result: GaitResult) -> dict:
    """Everything of `result` the overlay's frames show (`draw_overlay`, `_stance`,
    `running_cadence_spm`): contacts, the foot whose toe-offs were lost, step times and
    the clip cadence, the tracked region. A new use of the result in drawing must be added
    here."""
    return {"events": [[e["foot"], e["ic_s"], e.get("to_s")] for e in result.events],
            "lost_foot": result.lost_foot,
            "steps": [[s["ic_s"], s.get("step_time_ms")] for s in result.steps],
            "cadence_spm": result.summary["cadence_spm"]["value"],
            "region": result.options.get("region")}


def _digest(*parts) -> str:
    """SHA-256 of `parts` (arrays, bytes or JSON-like values), each framed by its type and size."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            data = np.ascontiguousarray(part).tobytes()
            head = f"array {part.dtype.str} {part.shape}"
        elif isinstance(part, bytes):
            data, head = part, "bytes"
        else:
            data = json.dumps(part, sort_keys=True, default=_plain).encode()
            head = "json"
        h.update(f"{head} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def _plain(value):
    """JSON form of the values `json` does not know (NumPy numbers and arrays; others by repr)."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    return repr(value)


def _is_current(path: Path, fingerprint: dict[str, str]) -> bool:
    """Whether `path` is an overlay made from the inputs `fingerprint` describes.

    True only when the fingerprint file beside it records exactly these
    inputs and the size and SHA-256 of the file now at `path`; a missing,
    unreadable or different record, or a video replaced or cut short since,
    gives False.
    """
    try:
        record = json.loads(fingerprint_path(path).read_text(encoding="utf-8"))
        return (isinstance(record, dict) and record.get("inputs") == fingerprint
                and record.get("overlay_bytes") == path.stat().st_size
                and record.get("overlay_sha256") == file_sha256(path))
    except (OSError, ValueError):
        return False


def write_overlay(path: str | Path, result: GaitResult, track: PoseTrack,
                  video_path: str | Path, *, filtered: PoseTrack | None = None,
                  progress: bool = False, overwrite: bool = False) -> bool:
    """Write the overlay video as H.264 MP4, unless the file there was made from the same inputs.

    The overlay's fingerprint file (`fingerprint_path`) is written beside it.
    With `overwrite`, an existing overlay whose fingerprint file matches
    these inputs in every part (`overlay_fingerprint`) and the file itself is
    kept as it is instead of being encoded again.

    Parameters
    ----------
    path : str or Path
        Output ``.mp4``.
    result : GaitResult
    track : PoseTrack
        Raw landmarks of this video (cleaned here exactly as in the analysis,
        unless `filtered` is given).
    video_path : str or Path
        The analysed video.
    filtered : PoseTrack, optional
        `track` already cleaned by `gait.report.assets.cleaned_track`.
    progress : bool
        Show a progress bar while encoding.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    bool
        True if the overlay was encoded, False if the file at `path` was kept.

    Raises
    ------
    OutputExistsError
        If `path` exists and `overwrite` is False.
    UnreadableVideoError
        If the video cannot be opened.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path} already exists; pass overwrite=True or choose another name")
    filtered = cleaned_track(result, track) if filtered is None else filtered
    info = probe_video(video_path, capture_fps=result.options.get("capture_fps"))
    fingerprint = overlay_fingerprint(result, track, filtered, info)
    if _is_current(path, fingerprint):
        return False
    with replacing(path) as tmp:
        encode_overlay(tmp, result, track, filtered, info, progress=progress)
    record = {"inputs": fingerprint, "overlay_bytes": path.stat().st_size,
              "overlay_sha256": file_sha256(path)}
    with replacing(fingerprint_path(path)) as tmp:
        tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return True


def encode_overlay(path: Path, result: GaitResult, track: PoseTrack, filtered: PoseTrack,
                   info: VideoInfo, *, progress: bool = False) -> None:
    """Draw every frame of the video and encode them to `path` (H.264 MP4, see the module notes).

    Parameters
    ----------
    path : Path
        Output file (written directly; `write_overlay` passes a temporary one).
    result : GaitResult
    track : PoseTrack
        Raw landmarks: frames where the pose model found no one are drawn as bridged.
    filtered : PoseTrack
        `track` cleaned as in the analysis: the landmarks drawn.
    info : VideoInfo
        The probed video (`gait.video.probe_video`).
    progress : bool
        Show a progress bar.
    """
    import av
    from tqdm import tqdm

    sample_of_frame = {int(f): i for i, f in enumerate(filtered.frame_idx)}
    detected = track.detected
    cadence = running_cadence_spm(result, info.t_s)
    playback_fps = Fraction(info.fps * info.time_scale).limit_denominator(1001)
    width, height = info.width_px - info.width_px % 2, info.height_px - info.height_px % 2
    with av.open(str(path), mode="w", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=playback_fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(CRF), "preset": "veryfast", "profile": "high"}
        bar = tqdm(total=info.n_frames, desc="overlay", unit="frame", disable=not progress,
                   leave=False)
        for frame_idx, t_s, frame in iter_frames(info):
            sample = sample_of_frame.get(frame_idx)
            if sample is not None:
                frame = draw_overlay(frame, filtered.xy_px[sample], result=result, t_s=t_s,
                                     cadence_spm=float(cadence[frame_idx]),
                                     bridged=not detected[sample])
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame[:height, :width]),
                                            format="bgr24")
            for packet in stream.encode(vf):
                container.mux(packet)
            bar.update(1)
        for packet in stream.encode():
            container.mux(packet)
        bar.close()


def video_codec(path: str | Path) -> tuple[str, int, float]:
    """Codec name, number of frames and frame rate of a video's first video stream (via PyAV).

    Returns
    -------
    (str, int, float)
        e.g. ``("h264", 330, 30.0)``; the frame count is from decoding.
    """
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        n = sum(1 for _ in container.decode(stream))
        return stream.codec_context.name, n, float(stream.average_rate or 0)
