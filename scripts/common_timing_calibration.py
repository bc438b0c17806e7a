"""Calibrate the error of the events' common timing where the pooled touch sets it.

Below about 100 fps (toe-offs) and 60 fps (landings) `gait.event_timing`
sets the common timing of all landings (or lift-offs) from the pooled foot
heights (the pooled touch), whose error cannot be jackknifed per clip. This
script measures it once: for noisy synthetic runners with known events
(cadence 160/170/180 steps/min, landmark noise 0.5/1/2 px, 6 s, belt
10 km/h) it runs the whole track analysis and prints, per run, the mean
timing error of the matched initial contacts and toe-offs (their common
error: per-event scatter averages out over some 30 events) and the
contact-time error against its stated error (less the pose model's part,
which exact landmarks do not have); then the RMS over the runs,
which is `gait.event_timing.TOUCH_COMMON_SD_S`.

The seeds used here (100-129 by default) are not those of the held-out
check in ``tests/test_timing_error.py`` (10-21).

Run: ``python scripts/common_timing_calibration.py [--fps 30 60] [--seeds 100 130]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from accuracy import match_events  # noqa: E402
from gait.pipeline import AnalysisOptions, analyze_track  # noqa: E402
from gait.synth import SynthParams, synthetic_track  # noqa: E402

BELT_KMH = 10.0


def run(fps: float, seed: int) -> tuple[float, float, float, float]:
    """(mean IC error, mean TO error, contact-time error, its stated error), all ms.

    The stated error leaves out the pose model's part (`gait.metrics.POSE_MODEL_ERROR`).
    """
    cadence = (160.0, 170.0, 180.0)[seed % 3]
    noise = (0.5, 1.0, 2.0)[(seed // 3) % 3]
    params = SynthParams(cadence_spm=cadence, belt_speed_kmh=BELT_KMH, fps=fps, duration_s=6.0,
                         noise_px=noise, seed=seed)
    track, truth = synthetic_track(params)
    result = analyze_track(track, options=AnalysisOptions(belt_speed_ms=BELT_KMH / 3.6)).to_dict()
    errors = match_events(result["events"], truth["events"])
    contact = result["summary"]["contact_time_ms"]
    true_ms = 1000 * np.median([e["to_s"] - e["ic_s"] for e in truth["events"]])
    return (1000 * float(np.nanmean(errors.ic_s)), 1000 * float(np.nanmean(errors.to_s)),
            contact["value"] - true_ms,
            float(np.sqrt(contact["expected_error"] ** 2 - contact["pose_error"] ** 2)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fps", type=float, nargs="+", default=[30.0, 60.0])
    parser.add_argument("--seeds", type=int, nargs=2, default=[100, 130], metavar=("FIRST", "STOP"))
    args = parser.parse_args()
    for fps in args.fps:
        rows = np.array([run(fps, seed) for seed in range(*args.seeds)])
        ic, to, err, stated = rows.T
        rms = lambda a: float(np.sqrt(np.mean(np.square(a))))  # noqa: E731
        print(f"{fps:.0f} fps, {len(rows)} runs: common timing error IC mean {ic.mean():+.1f} "
              f"RMS {rms(ic):.1f} ms, TO mean {to.mean():+.1f} RMS {rms(to):.1f} ms; contact "
              f"time error mean {err.mean():+.1f} RMS {rms(err):.1f} ms, RMS of error / stated "
              f"error {rms(err / stated):.2f}")


if __name__ == "__main__":
    main()
