"""`analyze()`: video or pose track to a `GaitResult`.

The CLI, the notebooks and (later) the web app all call these two
functions; nothing here renders anything.
"""

from __future__ import annotations

import datetime as _dt
import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import __version__
from .clean import clean_track_both
from .errors import InvalidOptionError, TooFewStepsError
from .events import (ViewInfo, clip_stride_period_s, detect_view, select_steady_segment,
                     rhythm_change_note, steady_rhythm_segment)
from .frame_region import check_region
from .identity import breaks_note, identity_breaks
from .metrics import TIMING_MIN_FPS, Scale, compute_metrics
from .result import RESULT_SCHEMA, GaitResult
from .track import PoseTrack
from .units import KMH_PER_MS, MPH_PER_MS
from .walking import detect_gait_events


#: Plausible cadence of human running or walking in steps/min; outside it the
#: clip's time base is probably wrong (slow motion or time-lapse).
PLAUSIBLE_CADENCE_SPM = (60.0, 250.0)
#: Share of a segment's frames without a person beyond which a failed
#: analysis blames the lost frames rather than the rhythm read through them
#: (a rhythm read across that many gaps is no evidence of slow motion).
LOST_FRAMES_BLAMED = 0.25
VIEWS = ("auto", "side", "side-left", "side-right", "rear", "front")
#: Warning for a runner crossing the frame over still ground: the pose model's
#: errors measured on rendered crossing runners (scripts/overground_accuracy.py,
#: ten clips at 30-240 fps; on their exact landmarks every event is within 5 ms).
CROSSING_RUNNER_WARNING = (
    "runner crossing the frame: gait is less accurate here than on a treadmill; on rendered "
    "runners crossing the frame its pose model put the cadence up to 3.4 steps/min and the "
    "step-time asymmetry up to 29 points off, and landings up to 40 ms early; treat these "
    "numbers as rough and film on a treadmill (side view, 10 s or more) for numbers to act on")
#: Belt speeds accepted, m/s (1.1-43 km/h, 0.7-26.8 mph).
BELT_SPEED_RANGE_MS = (0.3, 12.0)
#: Highest capture frame rate accepted, frames/s: phones film slow motion at up
#: to 960 fps.
MAX_CAPTURE_FPS = 1000.0
#: Hip-to-ankle length in metres outside which a belt-speed scale is refused
#: as wrong (a wrong belt speed or unit): 0.491 × height (Winter 2009) spans
#: 0.59-1.03 m for heights of 1.2-2.1 m, and MediaPipe's leg and stance speed
#: move the measured length by up to about 25 % (gait.metrics.SCALE_POSE_REL_ERROR).
PLAUSIBLE_LEG_M = (0.4, 1.3)


@dataclass(frozen=True)
class AnalysisOptions:
    """What the user tells gait about the clip.

    Parameters
    ----------
    belt_speed_ms : float, optional
        Treadmill belt speed in m/s (see `speed_to_ms` for km/h and mph).
    height_m : float, optional
        Runner's height in metres, for a pixel scale when no belt speed is
        given.
    capture_fps : float, optional
        Frame rate the camera really recorded at (slow-motion clips).
    view : str
        One of "auto", "side", "side-left", "side-right", "rear", "front".
    lowpass_hz : float
        Landmark low-pass filter cut-off in Hz.
    region : tuple of 4 float, optional
        Part of the frame where the runner is (LEFT, TOP, RIGHT, BOTTOM as
        fractions of the upright frame): pose estimation sees only it, to
        leave out other people (`gait.frame_region`).
    """

    belt_speed_ms: float | None = None
    height_m: float | None = None
    capture_fps: float | None = None
    view: str = "auto"
    lowpass_hz: float = 10.0
    region: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.region is not None:  # a list read back from JSON becomes a checked tuple
            object.__setattr__(self, "region", check_region(self.region))
        low, high = BELT_SPEED_RANGE_MS
        tol = 1e-9  # unit conversion rounding: 43.2 km/h is 12.000000000000002 m/s
        if self.belt_speed_ms is not None and not low - tol <= self.belt_speed_ms <= high + tol:
            raise InvalidOptionError(
                f"belt speed {self.belt_speed_ms * KMH_PER_MS:.3g} km/h is outside 1-43 km/h; "
                "give it in km/h (e.g. --belt-speed 10) or say --speed-unit mph")
        if self.height_m is not None and not 0.8 <= self.height_m <= 2.5:
            raise InvalidOptionError(
                f"height {self.height_m * 100:.4g} cm is outside 80-250 cm; give it in "
                "centimetres, e.g. --height-cm 175")
        if self.capture_fps is not None and not 0 < self.capture_fps <= MAX_CAPTURE_FPS:
            raise InvalidOptionError(
                f"capture frame rate {self.capture_fps:.4g} fps is outside 1-{MAX_CAPTURE_FPS:.0f}"
                " fps; give the rate the camera recorded at (e.g. 120, 240 or 960 for slow "
                "motion)")
        if self.view not in VIEWS:
            raise InvalidOptionError(f"view must be one of {', '.join(VIEWS)}; got {self.view!r}")
        if not 2.0 <= self.lowpass_hz <= 30.0:
            raise InvalidOptionError(f"low-pass cut-off must be 2-30 Hz, got {self.lowpass_hz}")


def speed_to_ms(value: float, unit: str) -> float:
    """Convert a belt speed to m/s from "kmh", "mph" or "ms"."""
    factors = {"kmh": 1 / KMH_PER_MS, "mph": 1 / MPH_PER_MS, "ms": 1.0}
    if unit not in factors:
        raise InvalidOptionError(f"speed unit must be kmh, mph or ms; got {unit!r}")
    return float(value) * factors[unit]


def analyze_track(track: PoseTrack, *, options: AnalysisOptions = AnalysisOptions(),
                  video: dict | None = None) -> GaitResult:
    """Gait events and metrics from a pose track.

    Parameters
    ----------
    track : PoseTrack
        Raw landmarks (as estimated; cleaning happens here).
    options : AnalysisOptions
    video : dict, optional
        Facts about the source video for the result (see `analyze`).

    Returns
    -------
    GaitResult
    """
    filtered, unfiltered, cleaning = clean_track_both(track, lowpass_hz=options.lowpass_hz)
    view = detect_view(filtered, view=options.view)
    warnings: list[str] = []
    if view.facing == 0:
        from .frontal.analysis import analyze_frontal_track

        return analyze_frontal_track(
            filtered, track=track, view=view, cleaning=cleaning.to_dict(),
            noise_px=cleaning.noise_px, options=asdict(options), height_m=options.height_m,
            video=video, capture_warnings=lambda cad, duty, analysed_s, walking:
            _capture_warnings(track, cad, duty, options, walking=walking,
                              analysed_s=analysed_s))
    breaks = identity_breaks(track)
    segment = None
    try:
        segment = select_steady_segment(filtered, breaks=breaks)
        steady = steady_rhythm_segment(filtered, view=view, segment=segment)
        gait, events = detect_gait_events(filtered, raw=unfiltered, view=view, segment=steady)
    except TooFewStepsError as exc:
        hint, too_slow = "", ""
        if breaks.any():
            hint = f"; {breaks_note(track.t_s, breaks)}"
        elif segment is not None:
            lost = 1.0 - float(track.detected[segment[0]:segment[1]].mean())
            if lost > LOST_FRAMES_BLAMED:
                hint = (f"; the person was not found in {lost:.0%} of its frames (occlusion, "
                        "poor light or leaving the frame)")
            else:
                too_slow = _slow_motion_hint(filtered, view, segment, options)
        # a capture rate that is too high shows as jumps or no rhythm, not as itself
        hint += too_slow or _capture_fps_hint(options, video)
        raise TooFewStepsError(f"{exc}{hint}") from None
    metrics = compute_metrics(filtered, events, belt_speed_ms=options.belt_speed_ms,
                              height_m=options.height_m, noise_px=cleaning.noise_px,
                              gait_mode=gait.mode)
    t = filtered.t_s
    if breaks.any():
        warnings.append(f"{breaks_note(track.t_s, breaks)}; only "
                        f"{t[steady[0]]:.1f}-{t[steady[1] - 1]:.1f} s, with one person throughout, "
                        "was analysed")
    if steady != segment:
        warnings.append(rhythm_change_note(t, steady, segment))
    _check_belt_speed(metrics.scale, options)
    warnings += list(metrics.warnings)
    warnings += _capture_warnings(track, metrics.summary["cadence_spm"].value,
                                  metrics.summary["duty_factor_pct"].value, options,
                                  walking=gait.mode == "walking", analysed_s=events.segment_s)
    if metrics.crossing_run:
        warnings.append(CROSSING_RUNNER_WARNING)
    detected = float(track.detected.mean())
    return GaitResult(
        schema=RESULT_SCHEMA,
        gait_version=__version__,
        created_utc=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        source=track.source,
        video=video or {},
        options=asdict(options),
        pose={"frames": track.n_frames, "detected_fraction": detected, "fps": track.fps,
              "size_px": list(track.size_px)},
        cleaning=cleaning.to_dict(),
        view=view.to_dict(),
        segment_s=list(events.segment_s),
        gait_mode=gait.mode,
        events=[asdict(c) for c in events.contacts],
        steps=[dict(r) for r in metrics.steps],
        summary={k: v.to_dict() for k, v in metrics.summary.items()},
        per_side={s: {k: v.to_dict() for k, v in d.items()} for s, d in metrics.per_side.items()},
        asymmetry={k: v.to_dict() for k, v in metrics.asymmetry.items()},
        scale=metrics.scale.to_dict(),
        cadence_check=metrics.cadence_check,
        warnings=warnings,
        provenance={"track_log": list(filtered.log) + [gait.note()] + list(events.notes),
                    "python": platform.python_version(), "numpy": np.__version__},
        lost_foot=metrics.lost_foot,
    )


def _slow_motion_hint(track: PoseTrack, view: ViewInfo, segment: tuple[int, int],
                      options: AnalysisOptions) -> str:
    """"; probable slow motion ..." when the foot rhythm is too slow for a human, else "".

    With a capture rate given, the rhythm is read at that rate; if it is
    still too slow the camera recorded faster still, and the hint gives the
    rate that would put a runner at 170 steps/min.
    """
    try:
        cadence = 120.0 / clip_stride_period_s(track, view=view, segment=segment)
    except TooFewStepsError:
        return ""
    if cadence >= PLAUSIBLE_CADENCE_SPM[0]:
        return ""
    if options.capture_fps is None:
        return (f"; the feet move at about {cadence:.0f} steps/min, too slow for human running "
                "or walking: probable slow motion; give the capture frame rate (--capture-fps), "
                "the rate the camera recorded at, e.g. 120 or 240")
    running_fps = options.capture_fps * 170.0 / cadence
    return (f"; at a capture frame rate of {options.capture_fps:g} fps (--capture-fps) the feet "
            f"still move at only about "
            f"{cadence:.0f} steps/min, too slow for human running or walking: the camera "
            f"recorded faster (about {running_fps:.0f} fps would give a runner 170 steps/min; "
            "phones use 120, 240 or 960)")


def _capture_fps_hint(options: AnalysisOptions, video: dict | None) -> str:
    """"; ... leave the capture frame rate out" when a capture rate was given, else "".

    A capture rate that is too high (a real-time clip taken for slow motion)
    speeds every movement up by the same factor; the failure then shows as
    jumps between people or no rhythm, not as the wrong option.
    """
    if options.capture_fps is None:
        return ""
    scale = (video or {}).get("time_scale")
    faster = f", its movements {1 / scale:.3g}× faster than they play" if scale else ""
    return (f"; with a capture frame rate of {options.capture_fps:g} fps (--capture-fps) the "
            f"clip is read as slow motion{faster}: if it is real-time video, leave the capture "
            "frame rate out")


def _check_belt_speed(scale: Scale, options: AnalysisOptions) -> None:
    """Refuse a belt speed that makes the runner's leg an impossible length.

    With a belt-speed scale every length is proportional to the belt speed;
    a hip-to-ankle length outside `PLAUSIBLE_LEG_M` means the speed (or its
    unit) is wrong, and every length, the load advice and the findings in
    centimetres would be wrong with it.

    Raises
    ------
    InvalidOptionError
        The leg measures outside `PLAUSIBLE_LEG_M` at the given belt speed.
    """
    if scale.method != "belt speed" or not np.isfinite(scale.px_per_m):
        return
    leg_m = scale.leg_length_px / scale.px_per_m
    lo, hi = PLAUSIBLE_LEG_M
    if lo <= leg_m <= hi or not np.isfinite(leg_m):
        return
    raise InvalidOptionError(
        f"belt speed {options.belt_speed_ms * KMH_PER_MS:.1f} km/h makes the runner's leg (hip "
        f"to ankle) {leg_m:.2f} m long, where a person's is {lo:g}-{hi:g} m: check the belt "
        "speed and its unit (--speed-unit kmh|mph|ms)")


def _capture_warnings(track: PoseTrack, cadence_spm: float, duty_pct: float,
                      options: AnalysisOptions, *, walking: bool = False,
                      analysed_s: tuple[float, float] | None = None) -> list[str]:
    """Capture-quality warnings: low frame rate, short clip, slow motion, dropouts.

    `walking` leaves flight time (a walker has none) out of the wording;
    `analysed_s` (start, end in seconds) is the part of the clip analysed
    (default: all of it).
    """
    out = []
    fps = track.fps
    if fps < TIMING_MIN_FPS:
        timing = ("contact time, duty factor" if walking
                  else "contact time, flight time, duty factor")
        out.append(f"low frame rate: {fps:.0f} fps; {timing} and step-time asymmetry are "
                   f"approximate (film at {TIMING_MIN_FPS:.0f} fps or more for those)")
    if analysed_s is None:
        analysed_s = (track.t_s[0], track.t_s[-1]) if track.n_frames > 1 else (0.0, 0.0)
    duration = float(analysed_s[1] - analysed_s[0])
    if duration < 10.0:
        gait = "walking" if walking else "running"
        out.append(f"short analysis: only {duration:.1f} s analysed; 20 s or more of steady "
                   f"{gait} gives steadier averages")
    missing = 1.0 - float(track.detected.mean())
    if missing > 0.05:
        who = "walker" if walking else "runner"
        out.append(f"the {who} was not found in {missing:.0%} of frames (occlusion or leaving "
                   "the frame)")
    lo, hi = PLAUSIBLE_CADENCE_SPM
    if np.isfinite(cadence_spm) and cadence_spm < lo:
        running = np.isfinite(duty_pct) and duty_pct < 50
        typical = 170.0 if running else 110.0
        factor = typical / cadence_spm
        too_slow = (f"{cadence_spm:.0f} steps/min at {fps:.0f} fps is too slow for human "
                    f"{'running' if running else 'walking'}")
        if options.capture_fps is None:
            out.append(
                f"probable slow motion: {too_slow}; if the camera recorded faster than the file "
                f"plays, give the capture frame rate (--capture-fps), about {fps * factor:.0f} "
                "fps here (120 or 240 as set on the phone)")
        else:
            out.append(
                f"capture rate too low: {too_slow}; the camera recorded faster than the "
                f"{options.capture_fps:g} fps given as capture frame rate (--capture-fps), "
                f"about {fps * factor:.0f} fps here")
    elif np.isfinite(cadence_spm) and cadence_spm > hi:
        out.append(f"implausible cadence {cadence_spm:.0f} steps/min: is the clip sped up or is "
                   "the capture frame rate (--capture-fps) too high?")
    return out


def analyze(video_path: str | Path, *, options: AnalysisOptions = AnalysisOptions(),
            cache_dir: str | Path | None = None, use_cache: bool = True,
            progress: bool = True,
            on_progress: Callable[[str, float], None] | None = None,
            workers: int = 1,
            ) -> tuple[GaitResult, PoseTrack]:
    """Analyse a treadmill video: pose, cleaning, events, metrics.

    Parameters
    ----------
    video_path : str or Path
    options : AnalysisOptions
    cache_dir : str or Path, optional
        Pose cache directory (default: the user cache, see `gait.pose`).
    use_cache : bool
        Reuse and store pose landmarks by video content and settings.
    progress : bool
        Show a progress bar during pose estimation.
    on_progress : callable, optional
        Called as ``on_progress(stage, fraction)`` with stage one of
        "probe", "pose", "analysis", "done" and fraction 0-1 within the
        stage, for front ends that show their own progress.
    workers : int
        Pose estimation processes. 1 (default) tracks the clip in one run,
        exactly as a plain frame-by-frame loop would. More splits the clip
        into chunks tracked in parallel (`gait.pose.chunks`): faster on
        long clips, but MediaPipe re-locks at each chunk start, so single
        contacts can move by a few frames (cadence agrees within 0.02
        steps/min); see the README's Speed section.

    Returns
    -------
    GaitResult
        The measurements.
    PoseTrack
        The raw pose landmarks (in real time), to save beside the result.
    """
    from .pose import estimate_pose  # imports mediapipe: only when a video is analysed
    from .pose.chunks import DEFAULT_CHUNK_S
    from .video import probe_video

    def report(stage: str, fraction: float) -> None:
        if on_progress is not None:
            on_progress(stage, fraction)

    report("probe", 0.0)
    info = probe_video(video_path, capture_fps=options.capture_fps)
    report("pose", 0.0)
    track = estimate_pose(info, cache_dir=cache_dir, use_cache=use_cache, progress=progress,
                          on_progress=lambda done, total: report("pose", done / total),
                          workers=workers, chunk_s=DEFAULT_CHUNK_S if workers > 1 else None,
                          region=options.region)
    report("analysis", 0.0)
    video = {
        "file": Path(video_path).name, "sha256": info.content_sha256,
        "width_px": info.width_px, "height_px": info.height_px,
        "rotation_deg": info.rotation_deg, "n_frames": info.n_frames,
        "duration_s": info.duration_s, "fps": info.fps, "nominal_fps": info.nominal_fps,
        "capture_fps": info.capture_fps, "time_scale": info.time_scale,
        "variable_frame_rate": info.variable_frame_rate, "codec": info.codec,
    }
    result = analyze_track(track, options=options, video=video)
    report("done", 1.0)
    return result, track
