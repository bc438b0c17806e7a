"""Benchmark: re-analysing a clip from the pose cache, with and without the report.

A re-analysis (``gait analyze VIDEO -o OUTDIR --force`` on a clip whose pose
landmarks are already cached) runs the cleaning, events and metrics again
and rewrites the report into the same folder. This script times

- ``analyze``: `gait.pipeline.analyze` from the pose cache (no report);
- ``report (new folder)``: `gait.report.write_report` into an empty folder;
- ``report (re-analysis)``: `write_report(..., overwrite=True)` into the
  folder the previous run wrote, ``--repeat`` times (the median is printed);

and, with ``--profile``, where the time of one re-analysis report goes
(cProfile cumulative seconds of the report's parts; the profiler slows
Python-heavy parts more than the encoder, so read them as shares).

Run from the repository root, e.g. on a one-minute 720p clip::

    gait synth --duration 60 --size 1280x720 --fps 30 /tmp/bench/clip60.mp4
    python scripts/bench_reanalysis.py /tmp/bench/clip60.mp4 --cache-dir /tmp/bench/cache \\
        --profile

The first run of a clip estimates its pose (slow) to fill the cache; run it
once before timing. Output goes to ``--outdir`` (default: a temporary
folder), never into the repository. Timings are only comparable on a quiet
machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

#: Parts of a report whose cumulative time ``--profile`` lists: (label, file suffix, function
#: names; "~" is the file of built-in functions).
PARTS = (
    ("write_report", "report/write.py", ("write_report",)),
    ("  make_assets (figures, key frames)", "report/write.py", ("make_assets",)),
    ("    clean_track", "gait/clean.py", ("clean_track",)),
    ("    foot_trajectories", "report/figures.py", ("foot_trajectories",)),
    ("    figures to PNG", "report/figures.py", ("to_png",)),
    ("    initial_contact_frames", "report/keyframes.py", ("initial_contact_frames",)),
    ("  metronome tracks", "gait/metronome.py", ("write_metronome",)),
    ("  write_overlay", "report/overlay.py", ("write_overlay",)),
    ("    draw_overlay", "report/overlay.py", ("draw_overlay",)),
    ("    PoseTrack.detected", "gait/track.py", ("detected",)),
    ("    libx264 encode", "~", ("<method 'encode' of 'av.video.stream.VideoStream' objects>",)),
    ("    VideoFrame.from_ndarray", "~", ("<av.video.frame.from_ndarray>",)),
    ("  report_html", "report/report_html.py", ("report_html",)),
    ("  report_pdf", "report/report_pdf.py", ("report_pdf",)),
)


def _parts(stats: pstats.Stats) -> list[tuple[str, int, float]]:
    """(label, calls, cumulative s) of each of `PARTS` found in `stats`."""
    out = []
    for label, suffix, names in PARTS:
        calls, cum = 0, 0.0
        for (file, _, func), (_, ncalls, _, ct, _) in stats.stats.items():
            if func in names and file.endswith(suffix):
                calls, cum = calls + ncalls, cum + ct
        if calls:
            out.append((label, calls, cum))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--cache-dir", type=Path, required=True,
                        help="pose cache holding the clip's landmarks")
    parser.add_argument("--outdir", type=Path, help="report folder (default: a temporary one)")
    parser.add_argument("--belt-speed-kmh", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="re-analysis reports timed")
    parser.add_argument("--no-overlay", action="store_true", help="report without overlay.mp4")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one re-analysis report and list its parts")
    args = parser.parse_args()

    from gait.pipeline import AnalysisOptions, analyze, speed_to_ms
    from gait.report import write_report

    options = AnalysisOptions(belt_speed_ms=speed_to_ms(args.belt_speed_kmh, "kmh"))
    t = time.perf_counter()
    result, track = analyze(args.video, options=options, cache_dir=args.cache_dir,
                            progress=False)
    print(f"analyze from the pose cache:  {time.perf_counter() - t:6.2f} s  "
          f"({track.n_frames} frames, {track.size_px[0]}x{track.size_px[1]}, "
          f"{track.fps:g} fps; load {os.getloadavg()[0]:.2f})")

    def report(outdir: Path) -> float:
        t = time.perf_counter()
        write_report(outdir, result, track=track, video_path=args.video,
                     overlay=not args.no_overlay, overwrite=True)
        return time.perf_counter() - t

    with tempfile.TemporaryDirectory(prefix="gait-bench-") as tmp:
        outdir = args.outdir or Path(tmp) / "report"
        if outdir.exists() and any(outdir.iterdir()):
            raise SystemExit(f"{outdir} is not empty; give an empty or new --outdir")
        print(f"report (new folder):          {report(outdir):6.2f} s")
        times = [report(outdir) for _ in range(args.repeat)]
        print(f"report (re-analysis):         {statistics.median(times):6.2f} s median of "
              f"{len(times)}: {', '.join(f'{x:.2f}' for x in times)}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            report(outdir)
            profiler.disable()
            print("\none re-analysis report under cProfile (cumulative s):")
            for label, calls, cum in _parts(pstats.Stats(profiler)):
                print(f"  {label:38s} {cum:7.2f}  ({calls} calls)")


if __name__ == "__main__":
    main()
