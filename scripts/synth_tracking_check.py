"""How well does MediaPipe Pose track the synthetic runner?

Renders clips with `gait.synth.render_video`, runs MediaPipe Pose (legacy
solutions API, model_complexity=1) on the decoded video and prints, per clip:
the detection rate, the pixel error of each landmark group against the
rendered truth (median and 90th percentile, in pixels and in % of body
height), the median signed offset (forward, up) of each group, and how often
MediaPipe's left/right labels disagree with the truth.

Usage::

    python scripts/synth_tracking_check.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from gait.landmarks import INDEX, LANDMARK_NAMES, N_LANDMARKS
from gait.synth import SynthParams, render_video, synthetic_track

GROUPS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")

CLIPS = {
    "30fps 170spm facing-left": dict(fps=30.0, cadence_spm=170.0),
    "30fps 160spm facing-right": dict(fps=30.0, cadence_spm=160.0, belt_speed_kmh=9.0,
                                      facing="right", seed=1),
    "60fps 180spm facing-left asym8": dict(fps=60.0, cadence_spm=180.0, belt_speed_kmh=12.0,
                                           duty_factor=0.33, step_time_asymmetry_pct=8.0,
                                           seed=2),
    "60fps 170spm facing-right forefoot": dict(fps=60.0, cadence_spm=170.0, facing="right",
                                               foot_strike="fore", seed=3),
    "30fps 175spm occlusion+noise": dict(fps=30.0, cadence_spm=175.0, occlusion=True,
                                         image_noise_std=6.0, seed=4),
    "30fps 170spm 360x480 portrait-ish": dict(fps=30.0, width_px=360, height_px=480, seed=5),
}


def mediapipe_landmarks(video: Path) -> tuple[np.ndarray, np.ndarray]:
    """Run MediaPipe Pose on every frame.

    Returns
    -------
    xy_px : ndarray, shape (n_frames, 33, 2)
        NaN where no person was found.
    visibility : ndarray, shape (n_frames, 33)
    """
    import mediapipe as mp

    cap = cv2.VideoCapture(str(video))
    xy, vis = [], []
    with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            res = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            if res.pose_landmarks is None:
                xy.append(np.full((N_LANDMARKS, 2), np.nan))
                vis.append(np.full(N_LANDMARKS, np.nan))
                continue
            lm = res.pose_landmarks.landmark
            xy.append([(p.x * w, p.y * h) for p in lm])
            vis.append([p.visibility for p in lm])
    cap.release()
    return np.asarray(xy, float), np.asarray(vis, float)


def compare(xy_mp: np.ndarray, xy_true: np.ndarray, *, x_sign: float, body_px: float,
            near: str) -> dict:
    """Per-group error statistics of MediaPipe against the truth (frames with a detection)."""
    ok = np.isfinite(xy_mp).all(axis=(1, 2))
    out = {"detected_pct": 100.0 * ok.mean()}
    far = "right" if near == "left" else "left"
    for g in GROUPS:
        for side in (near, far):
            i = INDEX[f"{side}_{g}"]
            d = xy_mp[ok, i] - xy_true[ok, i]
            err = np.hypot(d[:, 0], d[:, 1])
            role = "near" if side == near else "far"
            out[f"{g}/{role}"] = {
                "median_px": float(np.median(err)),
                "p90_px": float(np.percentile(err, 90)),
                "median_pct_body": float(100 * np.median(err) / body_px),
                "p90_pct_body": float(100 * np.percentile(err, 90) / body_px),
                "fwd_px": float(np.median(d[:, 0] * x_sign)),
                "up_px": float(np.median(-d[:, 1])),
            }
        if g != "shoulder" and g != "hip":
            li, ri = INDEX[f"left_{g}"], INDEX[f"right_{g}"]
            same = (np.linalg.norm(xy_mp[ok, li] - xy_true[ok, li], axis=1)
                    + np.linalg.norm(xy_mp[ok, ri] - xy_true[ok, ri], axis=1))
            crossed = (np.linalg.norm(xy_mp[ok, li] - xy_true[ok, ri], axis=1)
                       + np.linalg.norm(xy_mp[ok, ri] - xy_true[ok, li], axis=1))
            out[f"{g}/swap_pct"] = float(100 * np.mean(crossed < same))
    return out


def write_overlays(video: Path, xy_mp: np.ndarray, xy_true: np.ndarray, folder: Path,
                   *, every: int) -> None:
    """Write every `every`-th frame as PNG: truth in green, MediaPipe as crosses, red on left-side landmarks and blue on right-side ones."""
    folder.mkdir(parents=True, exist_ok=True)
    cap = cv2.VideoCapture(str(video))
    k = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if k % every == 0:
            for i in range(N_LANDMARKS):
                if np.isfinite(xy_true[k, i]).all():
                    cv2.circle(frame, tuple(np.round(xy_true[k, i]).astype(int)), 3, (0, 200, 0), -1)
                if np.isfinite(xy_mp[k, i]).all():
                    left = "left" in LANDMARK_NAMES[i]
                    color = (0, 0, 255) if left else (255, 0, 0)
                    cv2.drawMarker(frame, tuple(np.round(xy_mp[k, i]).astype(int)), color,
                                   cv2.MARKER_CROSS, 8, 2)
            cv2.imwrite(str(folder / f"{video.stem}_{k:04d}.png"), frame)
        k += 1
    cap.release()


def print_report(name: str, stats: dict, seconds: float) -> None:
    print(f"\n== {name}: detected {stats['detected_pct']:.1f} % of frames "
          f"(pose estimation {seconds:.0f} s)")
    print(f"   {'group':<17}{'median px':>10}{'p90 px':>8}{'median %H':>10}{'p90 %H':>8}"
          f"{'fwd px':>8}{'up px':>7}{'L/R swap %':>11}")
    for g in GROUPS:
        for role in ("near", "far"):
            s = stats[f"{g}/{role}"]
            swap = stats.get(f"{g}/swap_pct")
            swap_txt = f"{swap:>11.1f}" if swap is not None and role == "near" else ""
            print(f"   {g + '/' + role:<17}{s['median_px']:>10.1f}{s['p90_px']:>8.1f}"
                  f"{s['median_pct_body']:>10.2f}{s['p90_pct_body']:>8.2f}"
                  f"{s['fwd_px']:>8.1f}{s['up_px']:>7.1f}{swap_txt}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s clips instead of 8 s")
    parser.add_argument("--out", type=Path, help="keep the rendered clips in this folder")
    parser.add_argument("--overlay", type=Path,
                        help="write every 10th frame with both landmark sets to this folder")
    parser.add_argument("--only", help="run only clips whose name contains this text")
    args = parser.parse_args()
    duration = 3.0 if args.quick else 8.0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for name, kw in CLIPS.items():
            if args.only and args.only not in name:
                continue
            params = SynthParams(duration_s=duration, **kw)
            video = out / (name.replace(" ", "_") + ".mp4")
            render_video(video, params)
            track, truth = synthetic_track(params)
            t0 = time.perf_counter()
            xy_mp, _ = mediapipe_landmarks(video)
            seconds = time.perf_counter() - t0
            if args.overlay:
                write_overlays(video, xy_mp, track.xy_px, args.overlay, every=10)
            body_px = truth["px_per_m"] * params.height_m
            stats = compare(xy_mp, track.xy_px, x_sign=-1.0 if params.facing == "left" else 1.0,
                            body_px=body_px, near=truth["near_side"])
            print_report(f"{name} ({params.width_px}x{params.height_px}, "
                         f"{params.n_frames} frames, body {body_px:.0f} px)", stats, seconds)


if __name__ == "__main__":
    main()
