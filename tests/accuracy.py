"""Helpers that compare detected gait events and metrics with synthetic truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.synth import OVERGROUND_FRAMING, SynthParams


#: Issue 3 outcome 6, the bar on synthetic tracks and rendered videos: cadence
#: within this many steps/min, this share of true IC and TO found within the
#: event tolerance, step-time SI within this many points, stride length within
#: this fraction.
CADENCE_TOL_SPM = 0.2
EVENT_SHARE_MIN = 0.9
SI_TOL_POINTS = 1.5
STRIDE_TOL_REL = 0.02

#: The symmetric recreational runner of the 30 fps sample, as ``SynthParams``
#: keywords: the clips of `RENDERED` are this runner.
RENDERED_RUNNER = dict(cadence_spm=166.0, belt_speed_kmh=10.0, duty_factor=0.37,
                       overstride_m=0.12, trunk_lean_deg=6.0, foot_strike="rear",
                       duration_s=10.0)

#: Clips rendered by ``scripts/rendered_accuracy.py --render`` (two of them also by
#: ``tests/test_rendered_pipeline.py``): a symmetric recreational runner (as in the
#: 30 fps sample) at 30, 60, 120 and 240 fps (the 120 fps ones 6 s long, the 240 fps
#: ones 5 s), facing either way, with other seeds (start phase) and a smaller frame.
RENDERED = {
    "r30_left_s1": SynthParams(**RENDERED_RUNNER, fps=30.0, facing="left", seed=1),
    "r30_left_s2": SynthParams(**RENDERED_RUNNER, fps=30.0, facing="left", seed=2),
    "r30_left_480x360_s3": SynthParams(**RENDERED_RUNNER, fps=30.0, facing="left", seed=3,
                                       width_px=480, height_px=360),
    "r30_right_s1": SynthParams(**RENDERED_RUNNER, fps=30.0, facing="right", seed=1),
    "r30_right_s2": SynthParams(**RENDERED_RUNNER, fps=30.0, facing="right", seed=2),
    "r60_left_s1": SynthParams(**RENDERED_RUNNER, fps=60.0, facing="left", seed=1),
    "r60_right_s1": SynthParams(**RENDERED_RUNNER, fps=60.0, facing="right", seed=1),
    "r120_left_s1": SynthParams(**{**RENDERED_RUNNER, "duration_s": 6.0},
                                fps=120.0, facing="left", seed=1),
    "r120_right_s2": SynthParams(**{**RENDERED_RUNNER, "duration_s": 6.0},
                                 fps=120.0, facing="right", seed=2),
    "r240_left_s1": SynthParams(**{**RENDERED_RUNNER, "duration_s": 5.0},
                                fps=240.0, facing="left", seed=1),
    "r240_right_s2": SynthParams(**{**RENDERED_RUNNER, "duration_s": 5.0},
                                 fps=240.0, facing="right", seed=2),
}

#: A runner crossing the frame of a fixed camera over still ground (`OVERGROUND_FRAMING`):
#: about 3 s of the 6 s show the whole runner, 6-8 timeable contacts
#: (``tests/test_overground.py``).
CROSSING = dict(overground=True, **OVERGROUND_FRAMING, duty_factor=0.33)
#: Before the toe-offs and after the landings, the samples that time an event (s).
TIMING_MARGIN_S = (0.15, 0.1)

#: Crossing runners rendered by ``tests/test_rendered_pipeline.py`` (and with more
#: frame rates by ``scripts/overground_accuracy.py``): 60 fps, facing either way.
RENDERED_OVERGROUND = {
    f"og60_{facing}": SynthParams(**CROSSING, fps=60.0, cadence_spm=170.0, facing=facing,
                                  seed=1)
    for facing in ("left", "right")
}


def whole_body_in_frame(xy_px: np.ndarray, width_px: int) -> np.ndarray:
    """Frames in which every landmark of `xy_px` (shape (n, 33, 2), pixels) lies inside
    a frame `width_px` wide, shape (n,)."""
    return np.all((xy_px[..., 0] >= 0) & (xy_px[..., 0] < width_px), axis=1)


def timeable_events(truth: dict, exact_xy_px: np.ndarray, t_s: np.ndarray,
                    width_px: int) -> list[dict]:
    """True contacts of a crossing runner whose timing samples show the whole runner.

    Parameters
    ----------
    truth : dict
        The synthetic truth (``events`` with ``ic_s`` and ``to_s``, seconds).
    exact_xy_px : ndarray, shape (n, 33, 2)
        The exact landmarks, pixels.
    t_s : ndarray, shape (n,)
        Frame times, seconds.
    width_px : int
        Frame width, pixels.
    """
    inside = whole_body_in_frame(exact_xy_px, width_px)
    first, last = t_s[inside][[0, -1]]
    return [e for e in truth["events"]
            if e["ic_s"] - TIMING_MARGIN_S[0] >= first and e["to_s"] + TIMING_MARGIN_S[1] <= last]


#: Issue 3, rendered videos through the whole pipeline: events count as found
#: within the larger of one frame and this many seconds.
RENDERED_EVENT_TOL_MIN_S = 0.015


def rendered_event_tolerance_s(fps: float) -> float:
    """Issue 3's event tolerance for rendered videos, seconds: max(one frame, 15 ms)."""
    return max(1.0 / fps, RENDERED_EVENT_TOL_MIN_S)


@dataclass(frozen=True)
class EventErrors:
    """Signed timing errors (detected − true) in seconds of matched contacts."""

    ic_s: np.ndarray
    to_s: np.ndarray
    n_truth: int

    def fraction_within(self, tol_s: float) -> tuple[float, float]:
        """Fraction of *true* events whose IC / TO was found within `tol_s`."""
        ic = np.sum(np.abs(self.ic_s) <= tol_s + 1e-9) / self.n_truth
        to = np.sum(np.abs(self.to_s) <= tol_s + 1e-9) / self.n_truth
        return float(ic), float(to)


def match_events(detected: list[dict], truth_events: list[dict], *, max_gap_s: float = 0.1
                 ) -> EventErrors:
    """Pair each true contact with the nearest detected contact of the same foot."""
    ic, to = [], []
    for te in truth_events:
        same = [e for e in detected if e["foot"] == te["foot"]]
        if not same:
            continue
        best = min(same, key=lambda e: abs(e["ic_s"] - te["ic_s"]))
        if abs(best["ic_s"] - te["ic_s"]) <= max_gap_s:
            ic.append(best["ic_s"] - te["ic_s"])
            # a contact found without its toe-off (None / NaN) counts as a missed TO
            to.append(np.nan if best["to_s"] is None else best["to_s"] - te["to_s"])
    return EventErrors(np.array(ic), np.array(to), len(truth_events))
