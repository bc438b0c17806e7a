"""A rear- or front-view clip from pose track to `GaitResult` (with the ``frontal`` field)."""

from __future__ import annotations

import datetime as _dt
import platform
from dataclasses import asdict

import numpy as np

from .. import __version__
from ..events import ViewInfo, rhythm_change_note, steady_rhythm_run
from ..identity import breaks_note, identity_breaks
from ..metrics import Summary
from ..result import RESULT_SCHEMA, GaitResult
from ..track import PoseTrack
from .events import detect_frontal_events, frontal_segment, heel_rhythm_signals
from .phase import phase_step_times
from .metrics import NOT_ASSESSABLE, FrontalMetrics, compute_frontal_metrics, frontal_cadence
from .reliability import reliability
from .tilt import check_tilt


def frontal_dict(metrics: FrontalMetrics, *, view: ViewInfo, cadence: Summary,
                 source: str) -> dict:
    """The ``frontal`` block of results.json: summaries, per side, steps, tilt, reliability."""
    return {
        "view": view.view,
        "source": source,
        "cadence_spm": cadence.to_dict(),
        "length_unit": metrics.length_unit,
        "summary": {k: v.to_dict() for k, v in metrics.summary.items()},
        "per_side": {s: {k: v.to_dict() for k, v in d.items()}
                     for s, d in metrics.per_side.items()},
        "asymmetry": {k: v.to_dict() for k, v in metrics.asymmetry.items()},
        "steps": [dict(r) for r in metrics.steps],
        "tilt": metrics.tilt.to_dict(),
        "scale": dict(metrics.scale),
        "reliability": {k: reliability(k) for k in metrics.summary
                        if not k.endswith("_ms")},
        "not_assessable": {k: v for k, v in NOT_ASSESSABLE.items() if k in metrics.summary},
        "warnings": list(metrics.warnings),
    }


def analyze_frontal_track(filtered: PoseTrack, *, track: PoseTrack, view: ViewInfo,
                          cleaning: dict, noise_px: float, options: dict,
                          height_m: float | None, video: dict | None = None,
                          capture_warnings=None) -> GaitResult:
    """Events and frontal metrics of a rear- or front-view clip as a `GaitResult`.

    Parameters
    ----------
    filtered : PoseTrack
        Cleaned, low-pass filtered track.
    track : PoseTrack
        The raw track (for detection rate and the source name).
    view : ViewInfo
        A "rear" or "front" view.
    cleaning : dict
        `CleaningReport.to_dict()` of the cleaning.
    noise_px : float
        Landmark jitter in pixels.
    options : dict
        The analysis options as a dict (recorded in the result).
    height_m : float, optional
        Runner's height; distances in cm instead of % leg length.
    video : dict, optional
        Facts about the source video.
    capture_warnings : callable, optional
        ``capture_warnings(cadence_spm, duty_pct, analysed_s, walking) -> list of str``
        (the pipeline's frame-rate, analysed-length and slow-motion checks;
        `analysed_s` is the analysed segment's (start, end), s; `walking` is true
        at a walking cadence).

    Returns
    -------
    GaitResult
        ``summary`` holds cadence, step and stride time; ``asymmetry`` the
        step time; ``frontal`` everything frontal-plane.

    Raises
    ------
    TooFewStepsError
        Fewer than two contacts per foot, or no 2 s stretch with both feet.
        (A track that jumps between people is cut at each jump first.)
    """
    breaks = identity_breaks(track)  # unfiltered: the low-pass spreads a jump
    whole = frontal_segment(filtered, breaks=breaks)
    segment = steady_rhythm_run(heel_rhythm_signals(filtered, segment=whole), fs=filtered.fps,
                                segment=whole)
    events, rises = detect_frontal_events(filtered, view=view, segment=segment)
    tilt = check_tilt(filtered, events)
    cad_ic, _ = frontal_cadence(events)
    phase = phase_step_times(filtered, segment=segment, period_s=120.0 / cad_ic)
    metrics = compute_frontal_metrics(filtered, events, rises, tilt=tilt, phase=phase,
                                      height_m=height_m, noise_px=noise_px)
    cad = phase.cadence_spm
    cad_err = float(np.hypot(np.nan_to_num(phase.cadence_error_spm), 0.5 * abs(cad - cad_ic)))
    duration = events.segment_s[1] - events.segment_s[0]
    cadence = Summary(cad, cad, cad, cad, len(events.contacts), cad_err, "steps/min", False,
                      f"stride of the two heels' vertical motion over {duration:.1f} s, seen "
                      f"from the {view.view}; counting contacts gives {cad_ic:.1f}")
    warnings = [f"{view.view} view: contact time, flight time, step length and the side-view "
                "angles are not measured from this view; film from the side as well "
                "(gait analyze SIDE.mp4 --rear REAR.mp4)"]
    # without contact times the duty factor is unknown: people walk below and run above
    # about 140 steps/min (walking 100-125, running 150-190 steps/min typically)
    gait_mode = "walking" if cad < 140 else "running"
    if capture_warnings is not None:
        warnings += capture_warnings(cad, float("nan"), events.segment_s,
                                     gait_mode == "walking")
    warnings += list(metrics.warnings)
    if abs(cad - cad_ic) > 0.02 * cad:
        warnings.append(f"cadence from the heels' motion ({cad:.1f}) and from counted contacts "
                        f"({cad_ic:.1f} steps/min) differ by more than 2 %: contacts may be "
                        "missed")
    if breaks.any():
        warnings.append(f"{breaks_note(track.t_s, breaks)}; only the longest stretch of one "
                        "person was analysed")
    if segment != whole:
        warnings.append(rhythm_change_note(filtered.t_s, segment, whole))
    summary = {"cadence_spm": cadence,
               "step_time_ms": metrics.summary["step_time_ms"],
               "stride_time_ms": metrics.summary["stride_time_ms"]}
    per_side = {s: {k: metrics.per_side[s][k] for k in ("step_time_ms", "stride_time_ms")}
                for s in ("left", "right")}
    asym = {k: v for k, v in metrics.asymmetry.items() if k == "step_time_ms"}
    return GaitResult(
        schema=RESULT_SCHEMA,
        gait_version=__version__,
        created_utc=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        source=track.source,
        video=video or {},
        options=options,
        pose={"frames": track.n_frames, "detected_fraction": float(track.detected.mean()),
              "fps": track.fps, "size_px": list(track.size_px)},
        cleaning=cleaning,
        view=view.to_dict(),
        segment_s=list(events.segment_s),
        gait_mode=gait_mode,
        events=[asdict(c) for c in events.contacts],
        steps=[dict(r) for r in metrics.steps],
        summary={k: v.to_dict() for k, v in summary.items()},
        per_side={s: {k: v.to_dict() for k, v in d.items()} for s, d in per_side.items()},
        asymmetry={k: v.to_dict() for k, v in asym.items()},
        scale=dict(metrics.scale),
        cadence_check={"from_heel_phase_spm": cad, "from_contacts_spm": cad_ic,
                       "from_autocorrelation_spm": 120.0 / events.stride_period_s,
                       "contacts_used": len(events.contacts)},
        warnings=warnings,
        provenance={"track_log": list(filtered.log) + list(events.notes),
                    "python": platform.python_version(), "numpy": np.__version__},
        frontal=frontal_dict(metrics, view=view, cadence=cadence, source=track.source),
    )
