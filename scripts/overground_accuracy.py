"""Accuracy of the whole pipeline on rendered runners crossing the frame over still ground.

Renders the crossing runner of ``tests/test_overground.py`` (`accuracy.CROSSING`: a
1920x540 frame, 6 s of which about 3 s show the whole runner, 170 steps/min, symmetric)
at 30, 60, 120 and 240 fps facing either way from 8 m, and at 60 fps from 4 m (a 96°
lens), analyses each video with MediaPipe and, for comparison, the exact landmarks it
was drawn from, both with the body height (no belt speed overground), and prints the
errors that issue 3 bounds: cadence, step-time asymmetry (SI, true 0 %), body-height
stride length, and the share of the contacts in view whose IC / TO lie within the
larger of one frame and 15 ms, with their mean error. A second table gives, for each
metric of `gait.metrics.CROSSING_ERRORS`, the range and RMS of its error over the runs and
the RMS of error / stated error: against the truth, or, for peak knee flexion in stance and
the foot-strike angle (which the truth file lacks), against the analysis of the same exact
landmarks blanked outside the frame, as the pose model leaves them.

Usage::

    python scripts/overground_accuracy.py [--out DIR] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from accuracy import (RENDERED_OVERGROUND, match_events,  # noqa: E402
                      rendered_event_tolerance_s, timeable_events, whole_body_in_frame)
from gait.errors import GaitError  # noqa: E402
from gait.metrics import CROSSING_ERRORS  # noqa: E402
from gait.pipeline import AnalysisOptions, analyze, analyze_track  # noqa: E402
from gait.synth import SynthParams, render_video, synthetic_track  # noqa: E402

#: Where the clips are written (and read again on later runs).
OUT_DIR = Path("/tmp/gait-overground-accuracy")
_BASE = RENDERED_OVERGROUND["og60_left"]
#: Clip name -> parameters: `_BASE` at other frame rates, facings and camera distances.
CLIPS = {
    f"og{fps}_{facing}_{distance:.0f}m": dataclasses.replace(
        _BASE, fps=float(fps), facing=facing, camera_distance_m=distance)
    for fps, distance in ((30, 8.0), (60, 8.0), (60, 4.0), (120, 8.0), (240, 8.0))
    for facing in ("left", "right")
}


def errors(result: dict, truth: dict, timeable: list[dict]) -> dict:
    """The issue-3 errors of one analysis against its truth."""
    events = match_events(result["events"], timeable)
    ic_ok, to_ok = events.fraction_within(rendered_event_tolerance_s(truth["fps"]))
    stride = result["summary"]["stride_length_m"]["value"]
    return {
        "view": result["view"]["view"],
        "cadence": result["summary"]["cadence_spm"]["value"] - truth["cadence_spm"],
        "si": result["asymmetry"]["step_time_ms"]["symmetry_index_pct"]
        - truth["step_time_asymmetry_pct"],
        "stride_pct": np.nan if stride is None else 100 * (stride / truth["stride_length_m"] - 1),
        "ic_ok": ic_ok, "ic_ms": 1e3 * np.nanmean(events.ic_s),
        "to_ok": to_ok, "to_ms": 1e3 * np.nanmean(events.to_s),
    }


#: `CROSSING_ERRORS` metric -> (truth key, factor to the metric's unit), or None where
#: the truth file has no value and the blanked exact landmarks' reading stands in.
_TRUTH_OF = {"contact_time_ms": ("contact_time_s", 1e3), "flight_time_ms": ("flight_time_s", 1e3),
             "duty_factor_pct": ("duty_factor", 100.0), "overstride_cm": ("overstride_m", 100.0),
             "overstride_pct_leg": None, "knee_flexion_ic_deg": ("knee_flexion_at_ic_deg", 1.0),
             "shin_angle_deg": ("shin_angle_at_ic_deg", 1.0),
             "peak_knee_flexion_stance_deg": None, "foot_strike_angle_deg": None}


def stated_errors(summary: dict, truth: dict, blanked: dict) -> dict[str, tuple[float, float]]:
    """Per `CROSSING_ERRORS` metric: (error, stated error) of one MediaPipe analysis."""
    out = {}
    for name in CROSSING_ERRORS:
        if name == "overstride_pct_leg":
            reference = 100.0 * truth["overstride_m"] / truth["leg_length_m"]
        elif _TRUTH_OF[name] is None:
            reference = blanked[name]["value"]
        else:
            key, factor = _TRUTH_OF[name]
            reference = truth[key] * factor
        out[name] = (summary[name]["value"] - reference, summary[name]["expected_error"])
    return out


def measure(name: str, params: SynthParams, out_dir: Path, cache_dir: Path | None
            ) -> tuple[dict | str, dict | str, dict]:
    """(MediaPipe errors, exact-landmark errors, `stated_errors`) of one clip; a message
    where refused (and no stated errors)."""
    video = out_dir / f"{name}.mp4"
    if not video.exists():
        render_video(video, params)
    exact, truth = synthetic_track(params)
    timeable = timeable_events(truth, exact.xy_px, exact.t_s, params.width_px)
    options = AnalysisOptions(height_m=truth["height_m"])
    out, summaries = [], []
    for run in (lambda: analyze(video, options=options, cache_dir=cache_dir,
                                progress=False)[0],
                lambda: analyze_track(exact, options=options)):
        try:
            result = run().to_dict()
        except GaitError as exc:
            out.append(f"refused: {exc}")
            continue
        out.append(errors(result, truth, timeable))
        summaries.append(result["summary"])
    if isinstance(out[0], str):
        return out[0], out[1], {}
    outside = ~whole_body_in_frame(exact.xy_px, params.width_px)
    xy, visibility = exact.xy_px.copy(), exact.visibility.copy()
    xy[outside], visibility[outside] = np.nan, np.nan
    blanked = analyze_track(exact.with_changes("blanked outside the frame", xy_px=xy,
                                               visibility=visibility), options=options)
    return out[0], out[1], stated_errors(summaries[0], truth, blanked.to_dict()["summary"])


def print_stated_errors(per_clip: list[dict]) -> None:
    """Range and RMS of each metric's error over the clips, and RMS of error / stated."""
    print("\nmetric                        errors over the runs      RMS error  stated   RMS z")
    for name in CROSSING_ERRORS:
        err = np.array([clip[name][0] for clip in per_clip])
        stated = np.array([clip[name][1] for clip in per_clip])
        rms, rms_z = np.sqrt(np.mean(err ** 2)), np.sqrt(np.mean((err / stated) ** 2))
        print(f"{name:29s} {err.min():+8.1f} to {err.max():+7.1f} {rms:10.2f}"
              f" {stated.min():5.1f}-{stated.max():<5.1f} {rms_z:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the clips go")
    parser.add_argument("--cache-dir", type=Path, help="pose cache (default: the user cache)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("clip            view        dCad     dSI  dStride%  IC ok  IC ms  TO ok  TO ms"
          "   exact: IC ok  TO ok   dSI")
    per_clip = []
    for name, params in CLIPS.items():
        video, exact, stated = measure(name, params, args.out, args.cache_dir)
        if stated:
            per_clip.append(stated)
        if isinstance(video, str):
            print(f"{name:15s} {video}")
            continue
        line = (f"{name:15s} {video['view']:10s} {video['cadence']:+6.2f} {video['si']:+7.1f} "
                f"{video['stride_pct']:+9.1f} {video['ic_ok']:6.0%} {video['ic_ms']:+6.1f} "
                f"{video['to_ok']:6.0%} {video['to_ms']:+6.1f}")
        line += (f"   {exact}" if isinstance(exact, str) else
                 f"   {exact['ic_ok']:12.0%} {exact['to_ok']:6.0%} {exact['si']:+5.1f}")
        print(line)
    if per_clip:
        print_stated_errors(per_clip)


if __name__ == "__main__":
    main()
