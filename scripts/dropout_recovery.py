"""How well events come back when the pose model loses the runner for a moment.

Blanks whole frames (every landmark, as when MediaPipe finds no person) of a
real clip's pose track at random places inside its analysed part, analyses
the damaged track, and compares each contact whose initial contact or
toe-off fell inside a blank with the analysis of the undamaged track. The
undamaged analysis is the reference, not the truth: this measures what the
gaps cost, not the absolute error.

Usage::

    python scripts/dropout_recovery.py ../shared/videos/treadmill_side_30fps.mp4 \
        --frames 5 8 11 14 --runs 8 --seeds 5
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gait.errors import TooFewStepsError
from gait.pipeline import AnalysisOptions, analyze, analyze_track
from gait.track import PoseTrack


def blank_runs(track: PoseTrack, segment_s: tuple[float, float], *, frames: int, runs: int,
               seed: int) -> tuple[PoseTrack, list[tuple[float, float]]]:
    """`track` with `runs` non-overlapping blanks of `frames` frames inside `segment_s`."""
    rng = np.random.default_rng(seed)
    first, last = (int(round(s * track.fps)) for s in segment_s)
    slots = np.arange(first + 10, last - 10 - frames, frames + 1)
    starts = rng.choice(slots, min(runs, slots.size), replace=False)
    xy, vis = track.xy_px.copy(), track.visibility.copy()
    spans = []
    for s in starts:
        xy[s:s + frames] = np.nan
        vis[s:s + frames] = np.nan
        spans.append((track.t_s[s], track.t_s[s + frames - 1]))
    return track.with_changes(f"blanked {len(starts)} x {frames} frames", xy_px=xy,
                              visibility=vis), spans


def events_in_blanks(reference: list[dict], damaged: list[dict], spans: list[tuple[float, float]],
                     frame_s: float) -> tuple[int, np.ndarray]:
    """Reference events inside a blank: how many, and the damaged analysis' errors (s).

    Events of a damaged track that was refused count as inside but not found.

    An event counts as found when the same foot has one within 0.1 s; the
    errors of the found ones are returned (the lost ones are the rest).
    """
    inside, errors = 0, []
    for ref in reference:
        for key in ("ic_s", "to_s"):
            if not any(a - frame_s <= ref[key] <= b + frame_s for a, b in spans):
                continue
            inside += 1
            near = [e[key] - ref[key] for e in damaged
                    if e["foot"] == ref["foot"] and abs(e[key] - ref[key]) < 0.1]
            if near:
                errors.append(min(near, key=abs))
    return inside, np.array(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--frames", type=int, nargs="+", default=[5, 8, 11, 14],
                        help="length of each blank in frames")
    parser.add_argument("--runs", type=int, default=8, help="blanks per damaged track")
    parser.add_argument("--seeds", type=int, default=5, help="damaged tracks per length")
    args = parser.parse_args()

    result, track = analyze(args.video, options=AnalysisOptions())
    ref = result.to_dict()
    print(f"{args.video.name}: {track.fps:g} fps, analysed {ref['segment_s'][0]:.1f}-"
          f"{ref['segment_s'][1]:.1f} s, {len(ref['events'])} contacts, "
          f"contact time {ref['summary']['contact_time_ms']['value']:.1f} ms")
    print(f"{'blank':>12} {'events in blanks':>17} {'found':>6} {'within 1 frame':>15} "
          f"{'median |err| ms':>16} {'refused':>8} {'contacts':>9} {'contact time ms':>16}")
    frame_s = 1.0 / track.fps
    for frames in args.frames:
        inside = found = within = refused = 0
        errors, contacts, contact_ms = [], [], []
        for seed in range(args.seeds):
            damaged_track, spans = blank_runs(track, ref["segment_s"], frames=frames,
                                              runs=args.runs, seed=seed)
            try:
                damaged = analyze_track(damaged_track).to_dict()
            except TooFewStepsError:
                damaged = None
                refused += 1
            n, err = events_in_blanks(ref["events"], damaged["events"] if damaged else [],
                                      spans, frame_s)
            inside += n
            found += err.size
            within += int(np.sum(np.abs(err) <= frame_s + 1e-9))
            errors.extend(np.abs(err) * 1000)
            if damaged:
                contacts.append(len(damaged["events"]))
                contact_ms.append(damaged["summary"]["contact_time_ms"]["value"])
        median = f"{np.median(errors):.1f}" if errors else "-"
        spread = (f"{min(contacts):>4}-{max(contacts):<4} {min(contact_ms):>7.0f}-"
                  f"{max(contact_ms):<.0f}" if contacts else "")
        print(f"{frames:>5} frames {inside:>17} {found:>6} {within:>15} {median:>16} "
              f"{refused:>8} {spread}")


if __name__ == "__main__":
    main()
