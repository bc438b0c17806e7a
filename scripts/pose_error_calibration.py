"""The pose model's error on contact timing and on the angles and positions at contact.

For each rendered synthetic runner (a video plus its ``.truth.json``), runs
the whole pipeline on the video (MediaPipe pose estimation included) and on
the exact landmarks the video was drawn from (`gait.synth.synthetic_track`
with the same parameters), and prints, per foot (near / far to the camera),
the difference of each metric's median: the error the pose model adds to
contact time, flight time and duty factor (a foot whose stances the pose
model cut short, the result's ``lost_foot``, is left out, as gait leaves
it out of these summaries),
overstride (% of leg length), shin angle, knee flexion at initial contact,
peak knee flexion in stance, foot-strike angle and trunk lean. The RMS over
all feet and clips is what `gait.metrics.POSE_MODEL_ERROR` states (for walkers,
`WALKING_POSE_MODEL_ERROR`, with the error against the truth where larger; walkers
have no flight time, left blank).

The default clips are those of ``scripts/rendered_accuracy.py --render``
(``/tmp/gait-rendered-accuracy``, rendered by today's `gait.synth`); the
bundled samples, rendered by an earlier version, are held out and checked
against their truth in ``tests/test_rendered_pipeline.py``.

Run: ``python scripts/pose_error_calibration.py [VIDEO ...] [--cache-dir DIR]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gait.metrics import IC_TO_INTERVALS
from gait.pipeline import AnalysisOptions, analyze, analyze_track
from rendered_accuracy import RENDER_DIR, exact_track, feet_roles, truth_of

METRICS = ("contact_time_ms", "flight_time_ms", "duty_factor_pct", "overstride_pct_leg", "shin_angle_deg", "knee_flexion_ic_deg",
           "peak_knee_flexion_stance_deg", "foot_strike_angle_deg", "trunk_lean_deg")


def _difference(seen: dict, exact: dict) -> float:
    """`seen`'s value minus `exact`'s; NaN where either has none (a walker's flight time)."""
    if seen["value"] is None or exact["value"] is None:
        return float("nan")
    return seen["value"] - exact["value"]


def clip_errors(video: Path, cache_dir: Path | None) -> dict[str, dict[str, float]]:
    """``{metric: {"near": error, "far": error}}``: MediaPipe's median minus the exact one."""
    truth = truth_of(video)
    options = AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"])
    seen, _ = analyze(video, options=options, cache_dir=cache_dir, progress=False)
    exact = analyze_track(exact_track(truth), options=options)
    seen, exact = seen.to_dict(), exact.to_dict()
    feet = feet_roles(truth)
    cut = seen["lost_foot"]
    out = {}
    for name in METRICS:
        if name == "trunk_lean_deg":  # one trunk, not per foot
            err = seen["summary"][name]["value"] - exact["summary"][name]["value"]
            out[name] = {"near": err, "far": err}
            continue
        out[name] = {role: float("nan") if name in IC_TO_INTERVALS and foot == cut
                     else _difference(seen["per_side"][foot][name], exact["per_side"][foot][name])
                     for role, foot in feet.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path)
    parser.add_argument("--cache-dir", type=Path, help="pose cache (default: the user cache)")
    args = parser.parse_args()
    videos = args.videos or sorted(RENDER_DIR.glob("*.mp4"))
    if not videos:
        raise SystemExit(f"no clips: render them with scripts/rendered_accuracy.py --render "
                         f"(writes {RENDER_DIR})")
    errors = {name: [] for name in METRICS}
    print(f"{'clip':<24}" + "".join(f"{name[:14]:>17}" for name in METRICS))
    print(f"{'':<24}" + "".join(f"{'near / far':>17}" for _ in METRICS))
    for video in videos:
        e = clip_errors(video, args.cache_dir)
        print(f"{video.stem[:24]:<24}" + "".join(
            f"{e[n]['near']:>+9.1f} / {e[n]['far']:<+5.1f}" for n in METRICS))
        for name in METRICS:
            errors[name] += [e[name]["near"], e[name]["far"]]
    print(f"{'RMS over feet':<24}" + "".join(
        f"{np.sqrt(np.nanmean(np.square(errors[n]))):>17.2f}" for n in METRICS))


if __name__ == "__main__":
    main()
