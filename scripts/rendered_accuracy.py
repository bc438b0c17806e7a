"""Accuracy of the whole pipeline (MediaPipe included) on rendered synthetic runners.

For each clip with a ``<stem>.truth.json`` beside it (default: the bundled
``sample_videos/``), runs `gait.pipeline.analyze` with the belt speed from the
truth and prints the errors that issue 3 bounds: cadence, stride length,
step-time asymmetry (SI), and the IC / TO timing error (bias, SD and share of
true events within the larger of one frame and 15 ms), for all events and for
the near and far foot separately.

``--render`` adds clips rendered now with `gait.synth.render_video` (30, 60,
120 and 240 fps, both facing directions, several seeds), to tell a systematic
near/far-foot bias from chance. ``--diagnose`` compares MediaPipe's foot
landmarks with the exact ones (`gait.synth.synthetic_track`) and re-times the
events with some of MediaPipe's coordinates replaced by the exact ones, to
show which coordinates carry the timing error.

Usage::

    python scripts/rendered_accuracy.py [VIDEO ...] [--render] [--diagnose]
        [--out DIR] [--figure DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from accuracy import (RENDERED, match_events,  # noqa: E402
                      rendered_event_tolerance_s)
from gait.clean import clean_track  # noqa: E402
from gait.landmarks import INDEX  # noqa: E402
from gait.pipeline import AnalysisOptions, analyze, analyze_track  # noqa: E402
from gait.synth import SynthParams, render_video, synthetic_track  # noqa: E402
from gait.track import PoseTrack  # noqa: E402

FOOT_POINTS = ("heel", "ankle", "foot_index")
#: Where ``--render`` writes its clips (and other scripts look for them).
RENDER_DIR = Path("/tmp/gait-rendered-accuracy")


def truth_of(video: Path) -> dict:
    """The truth JSON written beside a rendered clip."""
    return json.loads(video.with_suffix(".truth.json").read_text())


def feet_roles(truth: dict) -> dict[str, str]:
    """``{"near": side, "far": side}`` from the truth."""
    near = truth["near_side"]
    return {"near": near, "far": "right" if near == "left" else "left"}


def event_errors(result: dict, truth: dict) -> dict:
    """IC / TO error statistics (ms, share within tolerance) for all, near and far foot."""
    tol_s = rendered_event_tolerance_s(truth["fps"])
    out = {"tol_ms": 1000 * tol_s}
    groups = {"all": truth["events"]}
    groups |= {role: [e for e in truth["events"] if e["foot"] == side]
               for role, side in feet_roles(truth).items()}
    for group, true_events in groups.items():
        err = match_events(result["events"], true_events)
        ic_share, to_share = err.fraction_within(tol_s)
        out[group] = {
            "n": len(true_events), "matched": int(err.ic_s.size),
            "ic_bias_ms": 1000 * float(np.nanmean(err.ic_s)) if err.ic_s.size else np.nan,
            "ic_sd_ms": 1000 * float(np.nanstd(err.ic_s)) if err.ic_s.size else np.nan,
            "to_bias_ms": 1000 * float(np.nanmean(err.to_s)) if err.to_s.size else np.nan,
            "to_sd_ms": 1000 * float(np.nanstd(err.to_s)) if err.to_s.size else np.nan,
            "ic_share": ic_share, "to_share": to_share,
        }
    return out


def summarise(result: dict, truth: dict) -> dict:
    """Cadence, stride length and SI errors plus `event_errors`."""
    s = result["summary"]
    return {
        "cadence_spm": (s["cadence_spm"]["value"], truth["cadence_spm"]),
        "stride_length_m": (s["stride_length_m"]["value"], truth["stride_length_m"]),
        "si_pct": (result["asymmetry"]["step_time_ms"]["symmetry_index_pct"],
                   truth["step_time_asymmetry_pct"]),
        "events": event_errors(result, truth),
    }


def print_summary(name: str, truth: dict, m: dict) -> None:
    roles = feet_roles(truth)
    print(f"\n== {name}: {truth['fps']:g} fps, {truth['size_px'][0]}x{truth['size_px'][1]}, "
          f"{truth['cadence_spm']:g} steps/min, true SI {truth['step_time_asymmetry_pct']:g} %, "
          f"facing {truth['facing']} (near foot {roles['near']})")
    cad, cad_true = m["cadence_spm"]
    sl, sl_true = m["stride_length_m"]
    si, si_true = m["si_pct"]
    print(f"   cadence {cad:.3f} for {cad_true:g} steps/min (error {cad - cad_true:+.3f}; bar 0.2)")
    print(f"   stride length {sl:.4f} for {sl_true:.4f} m (error {100 * (sl / sl_true - 1):+.2f} %;"
          " bar 2 %)")
    print(f"   step-time SI {si:+.2f} % for {si_true:+.2f} % (error {si - si_true:+.2f} points; "
          "bar 1.5)")
    ev = m["events"]
    print(f"   events, tolerance {ev['tol_ms']:.0f} ms (bar: 90 % within):")
    print(f"     {'foot':<12}{'n':>4}{'IC bias':>9}{'SD':>6}{'within':>8}"
          f"{'TO bias':>9}{'SD':>6}{'within':>8}")
    for group in ("all", "near", "far"):
        g = ev[group]
        label = group if group == "all" else f"{group} ({roles[group]})"
        print(f"     {label:<12}{g['n']:>4}{g['ic_bias_ms']:>9.1f}{g['ic_sd_ms']:>6.1f}"
              f"{g['ic_share']:>8.0%}{g['to_bias_ms']:>9.1f}{g['to_sd_ms']:>6.1f}"
              f"{g['to_share']:>8.0%}")


def exact_track(truth: dict) -> PoseTrack:
    """The exact projected landmarks of the runner described by a truth JSON."""
    track, _ = synthetic_track(SynthParams(**truth["params"]))
    return track


def landmark_offsets(mp: PoseTrack, exact: PoseTrack, truth: dict) -> list[str]:
    """Lines describing MediaPipe's foot landmarks against the exact ones.

    Per foot and point: median offset (forward, up) in px over the stance and
    over the swing frames; the median offset at the frames nearest each true
    IC and TO; when, after each true IC, the point is lowest (median, ms; the
    exact heel is lowest from the IC on); and the global time lag per
    coordinate from the sub-frame peak of the cross-correlation (positive:
    MediaPipe later).
    """
    fps = truth["fps"]
    t = np.arange(mp.n_frames) / fps
    x_sign = 1.0 if truth["facing"] == "right" else -1.0
    lines = [f"     {'point':<18}{'stance fwd/up':>15}{'swing fwd/up':>14}{'at IC up':>10}"
             f"{'at TO up':>10}{'low ms':>8}{'lag x/y ms':>13}"]
    for role, side in feet_roles(truth).items():
        events = [e for e in truth["events"] if e["foot"] == side]
        stance = np.zeros(mp.n_frames, bool)
        for e in events:
            stance |= (t >= e["ic_s"]) & (t <= e["to_s"])
        covered = (t >= events[0]["ic_s"]) & (t <= events[-1]["to_s"])
        ic_frames = [int(round(e["ic_s"] * fps)) for e in events]
        to_frames = [int(round(e["to_s"] * fps)) for e in events]
        for point in FOOT_POINTS:
            i = INDEX[f"{side}_{point}"]
            d = mp.xy_px[:, i] - exact.xy_px[:, i]
            fwd, up = x_sign * d[:, 0], -d[:, 1]
            lag = [_lag_ms(mp.xy_px[:, i, c], exact.xy_px[:, i, c], fps) for c in (0, 1)]
            low_ms = np.nanmedian([_lowest_after_ms(t, mp.xy_px[:, i, 1], e) for e in events])
            lines.append(
                f"     {role + ' ' + point:<18}"
                f"{np.nanmedian(fwd[stance]):>7.1f}/{np.nanmedian(up[stance]):<6.1f}  "
                f"{np.nanmedian(fwd[covered & ~stance]):>6.1f}/"
                f"{np.nanmedian(up[covered & ~stance]):<6.1f} "
                f"{np.nanmedian(up[ic_frames]):>9.1f}{np.nanmedian(up[to_frames]):>10.1f}"
                f"{low_ms:>8.0f}{lag[0]:>7.1f}/{lag[1]:<5.1f}")
    return lines


def _lowest_after_ms(t_s: np.ndarray, y_px: np.ndarray, event: dict) -> float:
    """Time in ms from a true IC to the lowest image position of a point in the first
    half of that stance (NaN without samples)."""
    end_s = event["ic_s"] + 0.5 * (event["to_s"] - event["ic_s"])
    sel = (t_s >= event["ic_s"] - 0.1) & (t_s <= end_s) & np.isfinite(y_px)
    if not sel.any():
        return np.nan
    k = np.argmax(y_px[sel])  # image y grows downwards
    return 1000 * (t_s[sel][k] - event["ic_s"])


def _lag_ms(a: np.ndarray, b: np.ndarray, fps: float, max_s: float = 0.1) -> float:
    """Delay of `a` behind `b` in ms from the cross-correlation peak (parabolic sub-frame)."""
    ok = np.isfinite(a) & np.isfinite(b)
    a = a[ok] - a[ok].mean()
    b = b[ok] - b[ok].mean()
    m = int(np.ceil(max_s * fps))
    cc = np.array([np.dot(a[m + k:a.size - m + k], b[m:b.size - m]) for k in range(-m, m + 1)])
    k = int(np.argmax(cc))
    frac = 0.0
    if 0 < k < cc.size - 1:
        den = cc[k - 1] - 2 * cc[k] + cc[k + 1]
        frac = 0.5 * (cc[k - 1] - cc[k + 1]) / den if den else 0.0
    return 1000 * (k - m + frac) / fps


def attribution(raw: PoseTrack, exact: PoseTrack, truth: dict) -> list[str]:
    """Event errors with some of MediaPipe's foot coordinates replaced by the exact ones.

    `raw` is the pose track as estimated; the pipeline cleans it as usual.
    """
    roles = feet_roles(truth)
    cases = {
        "MediaPipe as is": [],
        "exact feet (x and y)": [(s, (0, 1)) for s in roles.values()],
        "exact feet y, MediaPipe x": [(s, (1,)) for s in roles.values()],
        "exact feet x, MediaPipe y": [(s, (0,)) for s in roles.values()],
        "exact near foot only": [(roles["near"], (0, 1))],
        "exact far foot only": [(roles["far"], (0, 1))],
    }
    options = AnalysisOptions(belt_speed_ms=truth["belt_speed_ms"])
    lines = [f"     {'landmarks':<28}{'SI error':>9}{'IC near':>9}{'IC far':>8}{'TO near':>9}"
             f"{'TO far':>8}  (bias ms)"]
    for label, swaps in cases.items():
        xy = raw.xy_px.copy()
        for side, coords in swaps:
            for point in FOOT_POINTS:
                i = INDEX[f"{side}_{point}"]
                xy[:, i, list(coords)] = exact.xy_px[:, i, list(coords)]
        result = analyze_track(raw.with_changes("rendered_accuracy: exact coordinates", xy_px=xy),
                               options=options).to_dict()
        m = summarise(result, truth)
        ev = m["events"]
        lines.append(f"     {label:<28}{m['si_pct'][0] - m['si_pct'][1]:>+9.2f}"
                     f"{ev['near']['ic_bias_ms']:>9.1f}{ev['far']['ic_bias_ms']:>8.1f}"
                     f"{ev['near']['to_bias_ms']:>9.1f}{ev['far']['to_bias_ms']:>8.1f}")
    return lines


def fold_figure(mp: PoseTrack, exact: PoseTrack, truth: dict, path: Path) -> None:
    """Heel and toe height (MediaPipe red, exact black) around every IC, per foot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fps = truth["fps"]
    t = np.arange(mp.n_frames) / fps
    roles = feet_roles(truth)
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), sharex=True)
    for row, (role, side) in enumerate(roles.items()):
        events = [e for e in truth["events"] if e["foot"] == side]
        contact_s = float(np.mean([e["to_s"] - e["ic_s"] for e in events]))
        for col, point in enumerate(FOOT_POINTS):
            ax = axes[row, col]
            i = INDEX[f"{side}_{point}"]
            for e in events:
                sel = (t > e["ic_s"] - 0.15) & (t < e["ic_s"] + contact_s + 0.1)
                ax.plot(t[sel] - e["ic_s"], -exact.xy_px[sel, i, 1], "k.-", lw=0.5, ms=2,
                        alpha=0.4)
                ax.plot(t[sel] - e["ic_s"], -mp.xy_px[sel, i, 1], "r.-", lw=0.5, ms=2,
                        alpha=0.4)
            for x in (0.0, contact_s):
                ax.axvline(x, color="tab:blue", lw=0.8)
            ax.set_title(f"{role} foot ({side}) {point}", fontsize=9)
            if col == 0:
                ax.set_ylabel("height, px up (red MediaPipe, black exact)")
            if row == 1:
                ax.set_xlabel("time from true IC, s (blue: true IC and TO)")
    fig.suptitle(f"{path.stem}: {fps:g} fps, every contact overlaid", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)


def bundled_samples() -> list[Path]:
    """The rendered samples in ``sample_videos/`` that have a ``.truth.json`` beside them."""
    return sorted(p for p in (REPO / "sample_videos").glob("*.mp4")
                  if p.with_suffix(".truth.json").is_file())


def render_conditions(out: Path) -> list[Path]:
    """Render `RENDERED` into `out` (skipping clips already there)."""
    out.mkdir(parents=True, exist_ok=True)
    videos = []
    for name, params in RENDERED.items():
        video = out / f"{name}.mp4"
        if not (video.is_file() and video.with_suffix(".truth.json").is_file()):
            render_video(video, params)
        videos.append(video)
    return videos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path,
                        help="rendered clips with a .truth.json beside (default: sample_videos)")
    parser.add_argument("--render", action="store_true",
                        help="also render and measure the clips in RENDERED")
    parser.add_argument("--out", type=Path, default=RENDER_DIR,
                        help=f"folder for --render clips (default {RENDER_DIR})")
    parser.add_argument("--diagnose", action="store_true",
                        help="compare MediaPipe's foot landmarks with the exact ones")
    parser.add_argument("--figure", type=Path,
                        help="with --diagnose: write a heel/toe height figure per clip here")
    parser.add_argument("--cache-dir", type=Path, help="pose cache (default: the user cache)")
    args = parser.parse_args()
    videos = args.videos or bundled_samples()
    if args.render:
        videos += render_conditions(args.out)
    rows = []
    for video in videos:
        truth = truth_of(video)
        result, track = analyze(video, options=AnalysisOptions(
            belt_speed_ms=truth["belt_speed_ms"]), cache_dir=args.cache_dir, progress=False)
        m = summarise(result.to_dict(), truth)
        print_summary(video.name, truth, m)
        rows.append((video.stem, truth, m))
        if args.diagnose:
            if "touchdown_vertical_speed_ms" not in truth["params"]:
                print("   note: this clip was rendered by an earlier version of gait.synth (its "
                      "truth has no touchdown speeds); the exact landmarks below are today's "
                      "model and may differ from what was drawn")
            exact = exact_track(truth)
            mp, _ = clean_track(track, lowpass_hz=None)
            print("   MediaPipe (cleaned, unfiltered) minus exact landmarks, px:")
            print("\n".join(landmark_offsets(mp, exact, truth)))
            print("   events re-timed with exact coordinates in place of MediaPipe's:")
            print("\n".join(attribution(track, exact, truth)))
            if args.figure:
                fold_figure(mp, exact, truth, args.figure / f"{video.stem}_feet.png")
    print(f"\n{'clip':<30}{'fps':>4}{'dCad':>8}{'dSL %':>7}{'SI':>7}{'true':>6}"
          f"{'IC near':>9}{'IC far':>8}{'IC ok':>7}{'TO near':>9}{'TO far':>8}{'TO ok':>7}")
    for name, truth, m in rows:
        ev = m["events"]
        print(f"{name:<30}{truth['fps']:>4.0f}{m['cadence_spm'][0] - m['cadence_spm'][1]:>+8.3f}"
              f"{100 * (m['stride_length_m'][0] / m['stride_length_m'][1] - 1):>+7.2f}"
              f"{m['si_pct'][0]:>+7.1f}{m['si_pct'][1]:>+6.1f}"
              f"{ev['near']['ic_bias_ms']:>9.1f}{ev['far']['ic_bias_ms']:>8.1f}"
              f"{ev['all']['ic_share']:>7.0%}{ev['near']['to_bias_ms']:>9.1f}"
              f"{ev['far']['to_bias_ms']:>8.1f}{ev['all']['to_share']:>7.0%}")


if __name__ == "__main__":
    main()
