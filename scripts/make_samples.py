"""Write the bundled sample clips and their truth to ``sample_videos/``.

Both clips are rendered by `gait.synth`; no real footage goes into the repository.

Usage::

    python scripts/make_samples.py [--out sample_videos]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gait.synth import SynthParams, render_video

SAMPLES = {
    # A typical recreational runner: symmetric, heel strike, slight overstride.
    "runner_side_30fps.mp4": SynthParams(
        cadence_spm=166.0, belt_speed_kmh=10.0, duty_factor=0.37, overstride_m=0.12,
        trunk_lean_deg=6.0, foot_strike="rear", facing="left", fps=30.0, duration_s=11.0,
        width_px=640, height_px=480, seed=2024,
    ),
    # A faster runner with a clear step-time asymmetry (left step 8 % longer).
    "runner_side_60fps_asymmetric.mp4": SynthParams(
        cadence_spm=176.0, belt_speed_kmh=12.0, duty_factor=0.33, step_time_asymmetry_pct=8.0,
        overstride_m=0.08, trunk_lean_deg=4.0, foot_strike="mid", facing="right", fps=60.0,
        duration_s=7.5, width_px=448, height_px=480, seed=2025,
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "sample_videos")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, params in SAMPLES.items():
        path = args.out / name
        truth = render_video(path, params, progress=True)
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB, {truth['n_frames']} frames, "
              f"cadence {truth['cadence_spm']:g} steps/min, "
              f"step time asymmetry {truth['step_time_asymmetry_pct']:g} %")


if __name__ == "__main__":
    main()
