"""One assessment from a side-view and a rear-view clip of the same run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import UnsupportedViewError
from ..result import GaitResult
from ..track import PoseTrack

#: Smallest cadence difference in steps/min ever called a mismatch (rounding of tiny errors).
MIN_CADENCE_TOLERANCE_SPM = 0.5


def match_cadence(side: GaitResult, rear: GaitResult) -> dict:
    """Compare the two clips' cadences against their combined measurement error.

    Returns
    -------
    dict
        ``side_spm``, ``rear_spm``, ``difference_spm``, ``tolerance_spm``
        (twice the combined expected error, at least
        `MIN_CADENCE_TOLERANCE_SPM`) and ``match`` (bool).
    """
    s, r = side.summary["cadence_spm"], rear.summary["cadence_spm"]
    err = float(np.hypot(s.get("expected_error") or 0.0, r.get("expected_error") or 0.0))
    tol = max(2.0 * err, MIN_CADENCE_TOLERANCE_SPM)
    diff = float(r["value"] - s["value"])
    return {"side_spm": s["value"], "rear_spm": r["value"], "difference_spm": diff,
            "tolerance_spm": tol, "match": bool(abs(diff) <= tol)}


def combine_results(side: GaitResult, rear: GaitResult) -> GaitResult:
    """The side-view result with the rear (or front) clip's findings in ``frontal``.

    Parameters
    ----------
    side : GaitResult
        From a side-view clip.
    rear : GaitResult
        From a rear- or front-view clip (its ``frontal`` block is filled).

    Returns
    -------
    GaitResult
        `side` with ``frontal`` = the rear clip's frontal block plus
        ``cadence_match``, ``video``, ``step_time_asymmetry`` and ``pose`` of
        the rear clip; the rear clip's warnings and a cadence-mismatch
        warning are added to ``warnings``.

    Raises
    ------
    UnsupportedViewError
        The side clip is not a side view, or the rear clip is not a rear or
        front view.
    """
    if side.frontal or side.view.get("facing", 0) == 0:
        raise UnsupportedViewError(
            f"{side.source or 'side clip'}: looks like a {side.view.get('view')} view, not a "
            "side view; pass the side-on clip first and the clip from behind with --rear")
    if not rear.frontal:
        raise UnsupportedViewError(
            f"{rear.source or 'rear clip'}: looks like a {rear.view.get('view')} view, not a "
            "view from behind (or the front); film the --rear clip from behind the treadmill")
    match = match_cadence(side, rear)
    warnings = list(side.warnings)
    if not match["match"]:
        warnings.append(
            f"cadence differs between the side clip ({match['side_spm']:.1f}) and the "
            f"{rear.view['view']} clip ({match['rear_spm']:.1f} steps/min) by "
            f"{abs(match['difference_spm']):.1f}, more than the measurement error "
            f"(±{match['tolerance_spm']:.1f}): were both filmed at the same speed in the same "
            "session?")
    warnings += [f"{rear.view['view']} clip: {w}" for w in rear.warnings
                 if not w.startswith(f"{rear.view['view']} view: contact time")]
    frontal = dict(rear.frontal)
    frontal.update({
        "cadence_match": match,
        "video": rear.video,
        "pose": rear.pose,
        "segment_s": rear.segment_s,
        "step_time_asymmetry": rear.asymmetry.get("step_time_ms"),
    })
    return replace(side, frontal=frontal, warnings=warnings)


def analyze_side_and_rear(side_video: str | Path, rear_video: str | Path, *, options,
                          analyze: Callable, **kwargs) -> tuple[GaitResult, PoseTrack, PoseTrack]:
    """Analyse a side clip and a rear clip and combine them (`combine_results`).

    Parameters
    ----------
    side_video, rear_video : str or Path
    options : AnalysisOptions
        Used for the side clip; the rear clip gets the same options with its
        view detected automatically and the whole frame (a `region` is the
        side clip's).
    analyze : callable
        `gait.pipeline.analyze`.
    **kwargs
        Passed to `analyze` (cache, progress).

    Returns
    -------
    (GaitResult, PoseTrack, PoseTrack)
        The combined result, the side clip's and the rear clip's raw tracks.
    """
    side, side_track = analyze(side_video, options=options, **kwargs)
    rear, rear_track = analyze(rear_video, options=replace(options, view="auto", region=None),
                                 **kwargs)
    return combine_results(side, rear), side_track, rear_track
