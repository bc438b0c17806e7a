"""How much of a rendered runner's pelvic drop and step width MediaPipe's landmarks carry.

Renders the rear-view test clips of ``tests/test_frontal_video.py`` plus two
controls that differ from the first clip *only* in the pelvic drop (none, and
15° on both sides), runs MediaPipe on each (pose cached in ``--cache-dir``)
and prints, per clip:

- gait's pelvic-drop reading per stance side against the truth;
- the hip-line gain: the least-squares slope of (MediaPipe hip-line angle on
  this clip minus on the no-drop control, frame by frame) against the true
  hip-line angle. The control holds the same leg motion, so the slope is how
  much of a real pelvic tilt MediaPipe's hips follow (1 would be all of it);
- the same slope without the control (what the track alone shows);
- step width and step-time asymmetry errors.

With ``--png DIR`` it also writes, per clip, crops of the hips at the largest
left-stance tilt, level and the largest right-stance tilt with the true hip
joints and legs (green) and MediaPipe's (red). See docs/rear_view_accuracy.md
for the results. Run: ``python scripts/rear_pose_check.py [--png DIR]``
(about 1 minute per clip on one core without a cache).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from gait import landmarks as lm
from gait.frontal.tilt import line_angle_deg
from gait.pipeline import AnalysisOptions, analyze_track
from gait.pose import estimate_pose
from gait.synth import rear_track, render_video
from gait.video import probe_video

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_frontal_video import NARROW, REAR  # noqa: E402

CLIPS = {
    "rear_7_3": REAR,
    "rear_0_0": dataclasses.replace(REAR, pelvic_drop_left_deg=0.0, pelvic_drop_right_deg=0.0),
    "rear_15_15": dataclasses.replace(REAR, pelvic_drop_left_deg=15.0,
                                      pelvic_drop_right_deg=15.0),
    "narrow_4_8": NARROW,
}
CONTROL = {"rear_7_3": "rear_0_0", "rear_15_15": "rear_0_0"}


def _hip_angle_deg(xy_px: np.ndarray) -> np.ndarray:
    return line_angle_deg(xy_px[:, lm.LEFT_HIP], xy_px[:, lm.RIGHT_HIP])


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    return float(np.polyfit(x[ok], y[ok], 1)[0])


def _hip_crops(video: Path, truth_xy: np.ndarray, pose_xy: np.ndarray, out: Path) -> None:
    """Three hip crops (largest left-stance tilt, level, largest right-stance tilt), x3."""
    angle = _hip_angle_deg(truth_xy)
    first = slice(30, 90)
    picks = [30 + int(np.argmin(angle[first])), 30 + int(np.argmin(np.abs(angle[first]))),
             30 + int(np.argmax(angle[first]))]
    cap = cv2.VideoCapture(str(video))
    frames = {}
    for k in range(max(picks) + 1):
        ok, frame = cap.read()
        if not ok:
            break
        if k in picks:
            frames[k] = frame
    cap.release()
    tiles, zoom = [], 3
    bones = ((23, 24), (23, 25), (24, 26), (25, 27), (26, 28))
    for k in picks:
        hip = truth_xy[k, [lm.LEFT_HIP, lm.RIGHT_HIP]].mean(axis=0)
        x0, y0 = int(hip[0] - 80), int(hip[1] - 60)
        tile = cv2.resize(frames[k][y0:y0 + 200, x0:x0 + 160], None, fx=zoom, fy=zoom,
                          interpolation=cv2.INTER_CUBIC)

        def px(p, x0=x0, y0=y0):
            return int(round((p[0] - x0) * zoom)), int(round((p[1] - y0) * zoom))

        for xy, colour in ((truth_xy, (0, 190, 0)), (pose_xy, (0, 0, 255))):
            for a, b in bones:
                if np.isfinite(xy[k, [a, b]]).all():
                    cv2.line(tile, px(xy[k, a]), px(xy[k, b]), colour, 2, cv2.LINE_AA)
        cv2.putText(tile, f"frame {k}: true {angle[k]:+.1f}, MediaPipe "
                    f"{_hip_angle_deg(pose_xy[k:k + 1])[0]:+.1f} deg", (4, 18),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
        tiles.append(tile)
    cv2.imwrite(str(out), np.hstack(tiles))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work-dir", type=Path, default=Path("/tmp/gait-rear-pose-check"),
                    help="folder for the rendered clips (default /tmp/gait-rear-pose-check)")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    pose_angle, truth_angle = {}, {}
    rows = []
    for name, params in CLIPS.items():
        video = args.work_dir / f"{name}.mp4"
        truth = (json.loads(video.with_suffix(".truth.json").read_text()) if video.exists()
                 else render_video(video, params))
        track = estimate_pose(probe_video(video), cache_dir=args.cache_dir, progress=False)
        exact, _ = rear_track(params)
        pose_angle[name] = _hip_angle_deg(track.xy_px)
        truth_angle[name] = _hip_angle_deg(exact.xy_px)
        f = analyze_track(track, options=AnalysisOptions(height_m=params.height_m)).to_dict()
        f = f["frontal"]
        drop = {s: f["per_side"][s]["pelvic_drop_deg"]["trimmed_mean"] for s in ("left", "right")}
        width_cm = f["summary"]["step_width_cm"]["value"]
        si = f["asymmetry"]["step_time_ms"]["symmetry_index_pct"]
        rows.append((name, params, drop, width_cm, si, truth))
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            _hip_crops(video, exact.xy_px, track.xy_px, args.png / f"{name}_hips.png")
    print(f"{'clip':11s} {'true drop L/R':>13s} {'read L/R':>11s} {'gain':>5s} {'raw':>5s} "
          f"{'width cm':>9s} {'err':>6s} {'SI err pp':>9s}")
    for name, params, drop, width_cm, si, truth in rows:
        control = CONTROL.get(name)
        gain = (_slope(truth_angle[name], pose_angle[name] - pose_angle[control])
                if control else float("nan"))
        raw = (_slope(truth_angle[name], pose_angle[name])
               if np.ptp(truth_angle[name]) > 0 else float("nan"))
        true_cm = 100 * params.step_width_m
        print(f"{name:11s} {params.pelvic_drop_left_deg:6.1f}/{params.pelvic_drop_right_deg:<6.1f}"
              f" {drop['left']:5.2f}/{drop['right']:<5.2f} {gain:5.2f} {raw:5.2f} "
              f"{width_cm:5.2f}/{true_cm:<3.0f} {100 * (width_cm / true_cm - 1):+5.1f}% "
              f"{si - truth['step_time_asymmetry_pct']:+9.2f}")


if __name__ == "__main__":
    main()
