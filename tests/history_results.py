"""Realistic `GaitResult` dicts for the history tests, from synthetic landmark tracks (no video).

`synthetic_result` runs `gait.pipeline.analyze_track` on a `gait.synth.synthetic_track`
and caches the answer per process, so several test modules share each analysis.
"""

from __future__ import annotations

import copy
import functools
import hashlib

from gait.pipeline import AnalysisOptions, analyze_track
from gait.synth import SynthParams, synthetic_track


@functools.lru_cache(maxsize=None)
def _analyse(cadence_spm: float, seed: int, belt_speed_kmh: float | None, fps: float,
             asymmetry_pct: float, duration_s: float) -> dict:
    params = SynthParams(cadence_spm=cadence_spm, belt_speed_kmh=belt_speed_kmh or 10.0, fps=fps,
                         duration_s=duration_s, noise_px=1.0, seed=seed,
                         step_time_asymmetry_pct=asymmetry_pct)
    track, _ = synthetic_track(params)
    options = AnalysisOptions(belt_speed_ms=belt_speed_kmh / 3.6 if belt_speed_kmh else None,
                              height_m=None if belt_speed_kmh else params.height_m)
    key = f"{cadence_spm}-{seed}-{belt_speed_kmh}-{fps}-{asymmetry_pct}-{duration_s}"
    video = {"file": f"synthetic_{cadence_spm:g}spm_seed{seed}.mp4",
             "sha256": hashlib.sha256(key.encode()).hexdigest(), "fps": fps}
    return analyze_track(track, options=options, video=video).to_dict()


def synthetic_result(cadence_spm: float = 170.0, *, seed: int = 1,
                     belt_speed_kmh: float | None = 10.0, fps: float = 60.0,
                     asymmetry_pct: float = 0.0, duration_s: float = 10.0) -> dict:
    """A fresh copy of the ``results.json`` dict of one synthetic runner.

    The video hash is derived from the arguments, so equal arguments mean
    "the same video" to the history store.
    """
    return copy.deepcopy(_analyse(float(cadence_spm), seed, belt_speed_kmh, float(fps),
                                  float(asymmetry_pct), float(duration_s)))


def with_video_hash(result: dict, sha256: str) -> dict:
    """A copy of `result` claiming to come from another video (content hash `sha256`)."""
    out = copy.deepcopy(result)
    out["video"] = {**out.get("video", {}), "sha256": sha256, "file": f"{sha256[:8]}.mp4"}
    return out
