"""Event-timing accuracy of gait on synthetic landmark tracks (issue 3 grid).

Prints, per condition, the IC/TO timing error (bias and SD in ms), the
fraction of true events found within one frame, and the cadence, step-time
asymmetry and stride-length errors. Run: ``python scripts/event_accuracy.py``
(``--seed N`` draws other noise, dropouts and swaps; the tests use seed 7).
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

CONDITIONS = [
    # fps, cadence, asymmetry %, noise px, dropout fraction, swap runs
    (30, 150, 0.0, 0.0, 0.0, 0), (240, 175, 8.0, 0.0, 0.0, 0),
    (30, 150, 0.0, 1.0, 0.05, 3), (30, 200, 15.0, 1.5, 0.05, 3),
    (60, 170, 5.0, 1.0, 0.05, 3), (60, 185, -10.0, 2.0, 0.03, 3),
    (120, 160, 10.0, 1.0, 0.05, 3), (240, 175, 15.0, 1.5, 0.05, 3),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="synthetic runner seed (default 7)")
    seed = parser.parse_args().seed
    print(f"{'fps':>4} {'spm':>4} {'SI%':>5} {'px':>4} | {'IC bias':>7} {'IC sd':>6} {'IC<=1f':>6} "
          f"| {'TO bias':>7} {'TO sd':>6} {'TO<=1f':>6} | {'dCad':>6} {'dSI':>5} {'dSL%':>5}")
    for fps, cad, asym, noise, drop, swaps in CONDITIONS:
        params = SynthParams(fps=fps, cadence_spm=cad, step_time_asymmetry_pct=asym,
                             noise_px=noise, duty_factor=0.33, duration_s=10, seed=seed)
        track, truth = synthetic_track(params, dropout_frac=drop, swap_runs=swaps)
        res = analyze_track(track, options=AnalysisOptions(
            belt_speed_ms=truth["belt_speed_ms"])).to_dict()
        err = match_events(res["events"], truth["events"])
        ic_ok, to_ok = err.fraction_within(1.0 / fps)
        s = res["summary"]
        d_cad = s["cadence_spm"]["value"] - truth["cadence_spm"]
        d_si = res["asymmetry"]["step_time_ms"]["symmetry_index_pct"] - truth[
            "step_time_asymmetry_pct"]
        d_sl = 100 * (s["stride_length_m"]["value"] / truth["stride_length_m"] - 1)
        print(f"{fps:4d} {cad:4d} {asym:5.1f} {noise:4.1f} | {1e3 * np.mean(err.ic_s):7.1f} "
              f"{1e3 * np.std(err.ic_s):6.1f} {ic_ok:6.0%} | {1e3 * np.mean(err.to_s):7.1f} "
              f"{1e3 * np.std(err.to_s):6.1f} {to_ok:6.0%} | {d_cad:6.3f} {d_si:5.1f} {d_sl:5.2f}")


if __name__ == "__main__":
    main()
