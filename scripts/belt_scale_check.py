"""How fast MediaPipe's stance foot moves against the belt, by estimator, on rendered runners.

With a belt speed, `gait.metrics.estimate_scale` reads pixels per metre
from the near foot's backward speed in mid-stance
(`gait.metrics.stance_speeds_px_s`: the heel-toe midpoint's displacement from
25 % to 75 % of each contact, median over the contacts). This script asks
whether another reading of the same landmarks would be closer to the belt.
For each rendered clip (a video plus its ``.truth.json``) it runs the
pipeline (pose cached), takes the final contacts of the near foot and the
low-pass filtered landmarks `gait` measures on, and prints, per estimator,
the relative error (%) of the belt's image speed against the truth (the
near leg's plane: ``pixel_to_world`` of the truth times the belt speed),
then the mean and RMS over the clips:

- ``gait: two-point 25-75``: what gait uses (the heel-toe midpoint), read back from the
  result's scale (pixels per metre times the belt speed);
- ``TS ...``: the median over contacts of a Theil-Sen slope (robust to a
  landmark that jumps for a few frames) of the heel-toe midpoint, the toe
  (over 20-60 % of the contact, as `gait.belt_lift_off.belt_speed_px_s`
  reads it), the heel or the ankle.

Run: ``python scripts/belt_scale_check.py [VIDEO ...]`` (default: the two
bundled samples and the clips of ``scripts/rendered_accuracy.py --render``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.stats import theilslopes

from gait import landmarks as lm
from gait.clean import clean_track_both
from gait.pipeline import AnalysisOptions, analyze
from rendered_accuracy import RENDER_DIR, bundled_samples, truth_of

#: Estimator name -> (landmarks of the near foot averaged, part of each contact as
#: fractions from initial contact), each read as a Theil-Sen slope.
ESTIMATORS = {
    "TS mid 25-75": (("heel", "foot_index"), (0.25, 0.75)),
    "TS toe 20-60": (("foot_index",), (0.20, 0.60)),
    "TS heel 25-75": (("heel",), (0.25, 0.75)),
    "TS ankle 25-75": (("ankle",), (0.25, 0.75)),
}
GAIT = "gait: two-point 25-75"


def backward_speed_px_s(t_s: np.ndarray, x_px: np.ndarray, contacts: list[tuple[float, float]],
                        part: tuple[float, float], facing: int) -> float:
    """Median over `contacts` ((ic_s, to_s) pairs) of the point's Theil-Sen backward speed, px/s."""
    speeds = []
    for ic, to in contacts:
        sel = ((t_s >= ic + part[0] * (to - ic)) & (t_s <= ic + part[1] * (to - ic))
               & np.isfinite(x_px))
        if sel.sum() >= 3:
            speeds.append(-facing * theilslopes(x_px[sel], t_s[sel])[0])
    return float(np.median(speeds)) if speeds else float("nan")


def clip_errors(video: Path) -> dict[str, float]:
    """Relative error (%) of each estimator's belt image speed on one rendered clip."""
    truth = truth_of(video)
    options = AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"])
    result, track = analyze(video, options=options, progress=False)
    res = result.to_dict()
    filtered, _, _ = clean_track_both(track, lowpass_hz=options.lowpass_hz)
    near, facing = res["view"]["near_side"], res["view"]["facing"]
    contacts = [(e["ic_s"], e["to_s"]) for e in res["events"]
                if e["foot"] == near and np.isfinite(e["to_s"])]
    true_px_per_m = truth["pixel_to_world"][f"{near}_leg"]["px_per_m"]
    out = {GAIT: 100.0 * (res["scale"]["px_per_m"] / true_px_per_m - 1.0)}
    for name, (points, part) in ESTIMATORS.items():
        x = np.mean([filtered.xy_px[:, lm.INDEX[f"{near}_{p}"], 0] for p in points], axis=0)
        speed = backward_speed_px_s(filtered.t_s, x, contacts, part, facing)
        out[name] = 100.0 * (speed / (true_px_per_m * truth["belt_speed_ms"]) - 1.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path, help="rendered clips with .truth.json")
    args = parser.parse_args()
    videos = args.videos or bundled_samples() + sorted(RENDER_DIR.glob("*.mp4"))
    rows = {v.stem: clip_errors(v) for v in videos}
    names = [GAIT, *ESTIMATORS]
    print("Belt image speed error against the truth, % (negative: the foot moves slower)")
    print(f"{'clip':<30}" + "".join(f"{n:>21}" for n in names))
    for clip, errs in rows.items():
        print(f"{clip:<30}" + "".join(f"{errs[n]:>+21.1f}" for n in names))
    table = np.array([[errs[n] for n in names] for errs in rows.values()])
    print(f"{'mean':<30}" + "".join(f"{x:>+21.1f}" for x in table.mean(axis=0)))
    print(f"{'RMS':<30}" + "".join(f"{x:>21.1f}" for x in np.sqrt((table ** 2).mean(axis=0))))


if __name__ == "__main__":
    main()
