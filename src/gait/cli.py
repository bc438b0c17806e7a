"""Command line: ``gait analyze``, ``gait batch``, ``gait synth``, ``gait metronome``.

Exit codes: 0 success; 1 internal error (a bug); 2 invalid option; 3 video
unreadable; 4 no person found; 5 too few steps; 6 output exists (use
--force); 7 view not supported for that role; 8 not in the history; 9
history database unusable; 10 ``gait batch`` finished but some clips failed.
See `gait.errors`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import (FILE_SYSTEM_EXIT_CODE, GaitError, InvalidOptionError,
                     OutputExistsError)
from .frame_region import parse_region
from .history import commands as history_commands
from .output_paths import check_writable_file, ensure_writable_folder, remove_if_empty

if TYPE_CHECKING:
    from .pipeline import AnalysisOptions
    from .report import ReportFiles, RunnerInputs

EXIT_CODES_HELP = """exit codes:
  0  success
  1  internal error (a bug: please report it with the command you ran)
  2  invalid option or argument
  3  video missing, unreadable, truncated, empty or not a video
  4  no person found in enough frames
  5  too few steps to measure
  6  output folder already holds results (pass --force to replace them)
  7  camera view not supported for that role (e.g. --rear clip filmed side-on)
  8  athlete, session or video not in the history
  9  history database unusable (corrupt, written by a newer gait, or locked)
  10 gait batch: at least one clip failed (each is listed at the end)
  11 a file could not be read or written (permission, disk full, a folder in the way)
  130 interrupted (Ctrl-C); 141 the reader of the output stopped reading (e.g. | head)
"""

FILMING_HELP = """filming tips: tripod at hip height, 3-5 m away, square to the treadmill;
whole body in frame (feet included); 20-30 s after a few minutes of warm-up;
60 fps or more (120-240 fps for contact times). Slow-motion clips need
--capture-fps."""


def _user_path(text: str) -> Path:
    """A path option, with a leading ~ expanded (as the shell does unquoted)."""
    return Path(text).expanduser()


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _cap_processes(args: argparse.Namespace) -> None:
    """Lower --workers and --jobs above the usable cores to that number, with a note.

    Each process runs its own pose model (a few hundred MB); more processes than
    cores only add memory and start-up time.
    """
    cores = _usable_cores()
    for option in ("workers", "jobs"):
        asked = getattr(args, option, None)
        if asked is not None and asked > cores:
            print(f"gait: note: --{option} {asked} is more than the {cores} cores this machine "
                  f"gives gait; using {cores}", file=sys.stderr)
            setattr(args, option, cores)


def _region(text: str) -> tuple[float, float, float, float]:
    try:
        return parse_region(text)
    except InvalidOptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_region_option(parser: argparse.ArgumentParser, *, what: str) -> None:
    parser.add_argument("--region", type=_region, metavar="L,T,R,B",
                        help=f"track only the person inside this part of {what}: left, top, "
                             "right, bottom as fractions of the frame width and height, e.g. "
                             "0,0.4,1,1 for the lower 60 %% or 0,0,0.5,1 for the left half "
                             "(leaves out other people in view; the runner's whole body, feet "
                             "included, must stay inside it)")


def _add_workers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=_positive_int, metavar="N", default=1,
                        help="pose estimation processes (default 1: the clip is tracked in one "
                             "run, exact); more is faster on long clips but contacts can move "
                             f"by a few frames (this machine has {_usable_cores()} cores; more are "
                             "not used)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gait",
        description="Measure running form from a treadmill video: cadence, step and stride "
                    "length, contact times, left/right asymmetry, overstride and knee/shin "
                    "angles at contact, each with its expected error.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gait {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    an = sub.add_parser(
        "analyze", help="analyse a treadmill video",
        description="Analyse a treadmill running (or walking) video filmed from the side, "
                    "from behind or from the front (detected automatically; a rear or front "
                    "clip gives cadence, step-time asymmetry and frontal-plane measures: "
                    "pelvic drop, step width, crossover, knee projection angle, trunk lean, "
                    "heel whip). With --rear, a side clip and a clip from behind make one "
                    "assessment. Writes results.json, steps.csv and pose_track.npz to OUTDIR, "
                    "and the report (report.html, report.pdf, figures/, overlay.mp4 and "
                    "metronome tracks metronome_+5pct.mp3 etc. at the cadence targets), and "
                    "prints a summary.",
        epilog=FILMING_HELP + "\n\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    an.add_argument("video", type=_user_path, help="video file (mp4, mov, avi, webm)")
    an.add_argument("-o", "--outdir", type=_user_path, required=True,
                    help="folder for the results (created if missing)")
    an.add_argument("--belt-speed", type=_positive_float, metavar="SPEED",
                    help="treadmill belt speed (unit: --speed-unit); gives step and stride "
                         "length in metres")
    an.add_argument("--speed-unit", choices=("kmh", "mph", "ms"), default="kmh",
                    help="unit of --belt-speed: km/h (default), mph or m/s")
    an.add_argument("--height-cm", type=_positive_float, metavar="CM",
                    help="runner's height in cm; scales distances when no belt speed is given")
    an.add_argument("--capture-fps", type=_positive_float, metavar="FPS",
                    help="frame rate the camera really recorded at, for slow-motion clips "
                         "(e.g. 240)")
    an.add_argument("--view", default="auto",
                    choices=("auto", "side", "side-left", "side-right", "rear", "front"),
                    help="camera view (default: detect)")
    _add_region_option(an, what="the frame (of the side clip with --rear)")
    an.add_argument("--rear", type=_user_path, metavar="REAR_VIDEO",
                    help="a second clip of the same run filmed from behind (or the front): adds "
                         "frontal-plane findings to the side clip's assessment")
    an.add_argument("--force", action="store_true",
                    help="replace results already in OUTDIR")
    an.add_argument("--cache-dir", type=_user_path,
                    help="pose landmark cache (default: $GAIT_CACHE_DIR or ~/.cache/gait/pose)")
    an.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    an.add_argument("-q", "--quiet", action="store_true",
                    help="no progress bar and no summary table (for scripts)")
    rep = an.add_argument_group("report", "the runner's own answers fill the return-to-run "
                                "checklist; questions left unanswered are printed as questions")
    rep.add_argument("--no-report", action="store_true",
                     help="write only results.json, steps.csv and pose_track.npz")
    rep.add_argument("--no-overlay", action="store_true",
                     help="skip overlay.mp4 (the slowest part of the report)")
    rep.add_argument("--weekly-km", type=float, metavar="KM",
                     help="current weekly running distance, km")
    rep.add_argument("--pain", type=float, metavar="0-10",
                     help="pain while running, 0 (none) to 10 (worst)")
    rep.add_argument("--pain-settled", choices=("yes", "no"),
                     help="has pain after running settled by the next morning?")
    rep.add_argument("--strength-per-week", type=int, metavar="N",
                     help="heavy strength sessions a week")
    rep.add_argument("--two-week-increase", type=float, metavar="PCT",
                     help="increase of weekly running distance over the last two weeks, %%")
    history_commands.add_analyze_options(an)
    _add_workers_option(an)

    ba = sub.add_parser(
        "batch", help="analyse every video in a folder",
        description="Analyse every video in FOLDER (not sub-folders) with the same options, "
                    "each into OUTDIR/<video name without extension>/. Resumable: clips whose "
                    "results are already there (same video, same options) are skipped. A clip "
                    "that fails does not stop the batch; failures are listed at the end and "
                    "the exit code is then 10. OUTDIR/batch_summary.csv (rewritten on each run) "
                    "has one row per clip: its status, headline numbers, warnings or error.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ba.add_argument("folder", type=_user_path, help="folder of videos")
    ba.add_argument("-o", "--outdir", type=_user_path, required=True,
                    help="folder for the results (created if missing)")
    ba.add_argument("--belt-speed", type=_positive_float, metavar="SPEED",
                    help="treadmill belt speed of every clip (unit: --speed-unit)")
    ba.add_argument("--speed-unit", choices=("kmh", "mph", "ms"), default="kmh",
                    help="unit of --belt-speed: km/h (default), mph or m/s")
    ba.add_argument("--height-cm", type=_positive_float, metavar="CM", help="runner's height")
    ba.add_argument("--capture-fps", type=_positive_float, metavar="FPS",
                    help="capture frame rate of slow-motion clips")
    ba.add_argument("--view", default="auto",
                    choices=("auto", "side", "side-left", "side-right", "rear", "front"))
    _add_region_option(ba, what="every clip's frame")
    ba.add_argument("--cache-dir", type=_user_path, help="pose landmark cache")
    ba.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    ba.add_argument("--force", action="store_true",
                    help="re-analyse clips that already have results, replacing them")
    ba.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ba.add_argument("--jobs", type=_positive_int, metavar="N", default=_usable_cores(),
                    help="clips analysed at once, one process each (default: all "
                         f"{_usable_cores()} cores, and no more); each clip is still tracked "
                         "in one run, so its results equal those of gait analyze on it alone")
    _add_workers_option(ba)

    sy = sub.add_parser("synth", help="render a synthetic runner video with known truth",
                        description="Render a synthetic runner or walker, on a treadmill (side "
                                    "view, or from behind with --view rear) or crossing the "
                                    "frame over still ground (--overground), and write OUT plus "
                                    "OUT's .truth.json with the exact gait events.")
    sy.add_argument("out", type=_user_path, help="output video (.mp4 or .avi)")
    # the gait defaults below repeat gait.synth.GAIT_DEFAULTS (imported only to render)
    sy.add_argument("--gait", choices=("running", "walking"), default="running")
    sy.add_argument("--cadence", type=_positive_float,
                    help="steps/min (default 170 running, 110 walking)")
    sy.add_argument("--belt-speed-kmh", type=_positive_float,
                    help="belt speed, or the speed over the ground with --overground "
                         "(default 10 running, 4.5 walking)")
    sy.add_argument("--asymmetry", type=float, default=0.0,
                    help="step-time symmetry index in %% (positive: longer left step)")
    sy.add_argument("--duty-factor", type=_positive_float,
                    help="share of the stride a foot is on the ground (default 0.36 running, "
                         "0.62 walking)")
    sy.add_argument("--overground", action="store_true",
                    help="side view: the person crosses the frame of a fixed camera over a "
                         "still track, filmed from 8 m")
    sy.add_argument("--fps", type=_positive_float, default=30.0)
    sy.add_argument("--duration", type=_positive_float,
                    help="seconds (default 10, 6 with --overground)")
    sy.add_argument("--size", help="WIDTHxHEIGHT in pixels (default 640x480, 1920x540 with "
                                   "--overground)")
    sy.add_argument("--facing", choices=("left", "right"), default="left")
    sy.add_argument("--foot-strike", choices=("rear", "mid", "fore"), default="rear")
    sy.add_argument("--occlusion", action="store_true", help="draw a treadmill console in front")
    sy.add_argument("--image-noise", type=float, default=0.0, help="grey-level noise SD")
    sy.add_argument("--view", choices=("side", "rear"), default="side",
                    help="film from the side (default) or from behind the treadmill")
    sy.add_argument("--pelvic-drop", type=float, nargs=2, default=(0.0, 0.0),
                    metavar=("LEFT_DEG", "RIGHT_DEG"),
                    help="rear view: peak contralateral pelvic drop during left and right stance")
    sy.add_argument("--step-width-cm", type=float, default=10.0,
                    help="rear view: lateral distance between the heels (negative: crossover)")
    sy.add_argument("--camera-roll", type=float, default=0.0, metavar="DEG",
                    help="rear view: camera roll (a level line rises to the right by DEG)")
    sy.add_argument("--seed", type=int, default=0)
    sy.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    me = sub.add_parser("metronome", help="write a click track at a target cadence",
                        description="Write a click track: one click per step, every other "
                                    "click accented so left and right are audible. MP3 (about "
                                    "0.3 MB for 5 min at 22.05 kHz), or WAV when OUT ends in .wav.")
    me.add_argument("--spm", type=_positive_float, required=True, help="steps per minute")
    me.add_argument("--duration", type=_positive_float, default=300.0, help="seconds")
    me.add_argument("-o", "--out", type=_user_path,
                    help=".mp3 or .wav file (default: metronome_<spm>spm.mp3)")
    me.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    se = sub.add_parser("serve", help="start the web app (upload videos, read reports)",
                        description="Start the web app: pick or create an athlete, upload a "
                                    "video, follow the analysis, read and download the report, "
                                    "compare sessions. Binds 127.0.0.1 unless --host is given; "
                                    "any other address needs --token.")
    se.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    se.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    se.add_argument("--data-dir", type=_user_path,
                    help="keep uploads, results, the job queue and the athlete history here "
                         "(default: $GAIT_DATA_DIR or ~/.local/share/gait, with the history "
                         "that gait analyze --athlete records into)")
    se.add_argument("--token", help="access token required on every page (default: "
                                    "$GAIT_WEB_TOKEN); needed when --host is not local")
    se.add_argument("--max-upload-mb", type=_positive_float, default=1000.0, metavar="MB",
                    help="largest accepted video in MB (default 1000)")
    se.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    history_commands.add_subcommands(sub, epilog=EXIT_CODES_HELP)
    return parser


def _prepare_outdir(outdir: Path, *, force: bool, inputs: tuple[Path, ...]) -> bool:
    """Check that an analysis may write into `outdir` and create it.

    Refuses (before any work) earlier results without `force`, an input
    video that an output would replace, and a folder that cannot be
    written. Returns whether the folder was created, so that a failed
    analysis can remove it again.
    """
    from .report.write import FIGURES_DIR, REPORT_FILES

    outputs = ("results.json", "steps.csv", "steps_rear.csv", "pose_track.npz",
               "pose_track_rear.npz", *REPORT_FILES)
    existing = [n for n in outputs if (outdir / n).exists()]
    if existing and not force:
        raise OutputExistsError(
            f"{outdir}: already holds {', '.join(existing)} from an earlier analysis; choose "
            "another --outdir or pass --force to replace them")
    replaced = [(outdir / n).resolve() for n in (*outputs, FIGURES_DIR)]
    for video in inputs:
        where = video.resolve()
        if any(where == r or r in where.parents for r in replaced):
            raise InvalidOptionError(
                f"{video}: an output of the analysis would replace this video; move it or "
                "choose another --outdir")
    return ensure_writable_folder(outdir)


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .pipeline import AnalysisOptions, speed_to_ms
    from .report import RunnerInputs

    options = AnalysisOptions(
        belt_speed_ms=speed_to_ms(args.belt_speed, args.speed_unit) if args.belt_speed else None,
        height_m=args.height_cm / 100 if args.height_cm else None,
        capture_fps=args.capture_fps, view=args.view, region=args.region)
    inputs = RunnerInputs(
        weekly_distance_km=args.weekly_km, pain_0_10=args.pain,
        pain_settled_next_morning=None if args.pain_settled is None else args.pain_settled == "yes",
        strength_sessions_per_week=args.strength_per_week,
        two_week_distance_increase_pct=args.two_week_increase)
    history_commands.check_before_analysis(args)
    videos = (args.video,) if args.rear is None else (args.video, args.rear)
    created = _prepare_outdir(args.outdir, force=args.force, inputs=videos)
    try:
        return _analyze_into(args, options, inputs)
    except BaseException:
        if created:  # a failed first run leaves no empty folder behind
            remove_if_empty(args.outdir)
        raise


def _analyze_into(args: argparse.Namespace, options: AnalysisOptions,
                  inputs: RunnerInputs) -> int:
    """The analysis, results and report of `gait analyze` into a prepared --outdir."""
    from .pipeline import analyze
    from .report import remove_report_files, write_report
    from .summary import format_summary

    run = dict(cache_dir=args.cache_dir, use_cache=not args.no_cache, progress=not args.quiet,
               workers=args.workers)
    if args.rear is not None:
        from .frontal.combine import analyze_side_and_rear

        result, track, rear_track = analyze_side_and_rear(args.video, args.rear, options=options,
                                                          analyze=analyze, **run)
        rear_track.save(args.outdir / "pose_track_rear.npz")
        result.save_rear_steps_csv(args.outdir / "steps_rear.csv")
    else:
        result, track = analyze(args.video, options=options, **run)
        # the rear clip's files of an earlier run replaced with --force
        for name in ("pose_track_rear.npz", "steps_rear.csv"):
            (args.outdir / name).unlink(missing_ok=True)
    result.save_json(args.outdir / "results.json")
    result.save_steps_csv(args.outdir / "steps.csv")
    track.save(args.outdir / "pose_track.npz")
    if not args.quiet:  # the numbers first: the report takes several seconds more
        print(format_summary(result))
        tables = "steps.csv, steps_rear.csv" if args.rear is not None else "steps.csv"
        print(f"\nwrote {args.outdir / 'results.json'}, {tables} and pose_track.npz",
              flush=True)
    if args.no_report:
        remove_report_files(args.outdir)  # of an earlier run replaced with --force
    else:
        files = write_report(args.outdir, result, track=track, video_path=args.video,
                             inputs=inputs, overlay=not args.no_overlay,
                             progress=not args.quiet, overwrite=True)
        if not args.quiet:
            print(_report_line(args.outdir, files))
    if args.athlete is not None:
        message = history_commands.record_analysis(args, result)
        if not args.quiet:
            print(message)
    return 0


def _report_line(outdir: Path, files: ReportFiles) -> str:
    """What `gait analyze` says of its report: the files written (metronome tracks only when
    there is a cadence target), and the overlay as kept when the one an earlier run left in
    `outdir` was made from the same inputs and not encoded again."""
    written = [f"{outdir / 'report.html'}", "report.pdf", "figures/"]
    if any(name.startswith("metronome") for name in files):
        written.append("metronome_+*pct.mp3")
    if "overlay.mp4" in files and "overlay.mp4" not in files.kept:
        written.append("overlay.mp4")
    line = "wrote " + ", ".join(written[:-1]) + " and " + written[-1]
    if "overlay.mp4" in files.kept:
        line += "; kept overlay.mp4 (made from the same inputs)"
    return line


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import format_report, run_batch
    from .batch_overview import OVERVIEW_FILE, format_overview, overview_rows, write_overview
    from .pipeline import AnalysisOptions, speed_to_ms

    options = AnalysisOptions(
        belt_speed_ms=speed_to_ms(args.belt_speed, args.speed_unit) if args.belt_speed else None,
        height_m=args.height_cm / 100 if args.height_cm else None,
        capture_fps=args.capture_fps, view=args.view, region=args.region)
    report = run_batch(args.folder, args.outdir, options=options, jobs=args.jobs,
                       workers=args.workers,
                       cache_dir=args.cache_dir, use_cache=not args.no_cache, force=args.force,
                       progress=not args.quiet)
    print(format_report(report), file=sys.stderr if report.failed else sys.stdout)
    rows = overview_rows(report, args.outdir)
    overview = write_overview(rows, args.outdir / OVERVIEW_FILE)
    if not args.quiet:
        print(f"\n{format_overview(rows)}\n\nwrote {overview} (every clip, rewritten on each run)")
    return report.exit_code


#: `gait synth` options by the `SynthParams` field they set.
SYNTH_FLAGS = {
    "cadence_spm": "--cadence", "belt_speed_kmh": "--belt-speed-kmh",
    "step_time_asymmetry_pct": "--asymmetry", "duty_factor": "--duty-factor", "fps": "--fps",
    "duration_s": "--duration", "width_px": "--size", "height_px": "--size",
    "image_noise_std": "--image-noise", "pelvic_drop_left_deg": "--pelvic-drop",
    "pelvic_drop_right_deg": "--pelvic-drop", "step_width_m": "--step-width-cm / 100",
    "camera_roll_deg": "--camera-roll", "overground": "--overground",
}


def _synth_framing(args: argparse.Namespace) -> dict:
    """Frame size, duration and camera of `gait synth`: the options given, else, with
    --overground, a crossing's (`gait.synth.OVERGROUND_FRAMING`; its numbers are repeated in
    the options' help), else `SynthParams`' own defaults (a treadmill clip)."""
    from .synth import OVERGROUND_FRAMING

    framing = dict(OVERGROUND_FRAMING) if args.overground else {}
    if args.size is not None:
        try:
            framing["width_px"], framing["height_px"] = (int(v)
                                                         for v in args.size.lower().split("x"))
        except ValueError:
            raise InvalidOptionError(f"--size must look like 640x480, got {args.size!r}") from None
    if args.duration is not None:
        framing["duration_s"] = args.duration
    return framing


def _cmd_synth(args: argparse.Namespace) -> int:
    from .synth import SynthParams, render_video, truth_path

    framing = _synth_framing(args)
    truth = truth_path(args.out)
    for path in (args.out, truth):  # a folder in the way, or a folder that cannot be written
        check_writable_file(path, "OUT")
    existing = [p for p in (args.out, truth) if p.exists()]
    if existing and not args.force:
        raise OutputExistsError(f"{' and '.join(map(str, existing))}: exists; pass --force to "
                                "overwrite")
    try:
        params = SynthParams(
            **framing, gait=args.gait, overground=args.overground,
            cadence_spm=args.cadence, belt_speed_kmh=args.belt_speed_kmh,
            duty_factor=args.duty_factor,
            step_time_asymmetry_pct=args.asymmetry, fps=args.fps, facing=args.facing,
            foot_strike=args.foot_strike, occlusion=args.occlusion,
            image_noise_std=args.image_noise, seed=args.seed, view=args.view,
            pelvic_drop_left_deg=args.pelvic_drop[0], pelvic_drop_right_deg=args.pelvic_drop[1],
            step_width_m=args.step_width_cm / 100, camera_roll_deg=args.camera_roll)
    except InvalidOptionError as exc:  # name the option the user typed beside the parameter
        field = str(exc).split(" ", 1)[0]
        flag = SYNTH_FLAGS.get(field)
        raise InvalidOptionError(str(exc).replace(field, f"{field} ({flag})", 1) if flag
                                 else str(exc)) from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    facts = render_video(args.out, params, progress=True)
    print(f"wrote {args.out} ({facts['n_frames']} frames, {facts['cadence_spm']:.1f} steps/min) "
          f"and {truth.name}")
    return 0


def _cmd_metronome(args: argparse.Namespace) -> int:
    from .metronome import write_metronome

    out = args.out or Path(f"metronome_{args.spm:g}spm.mp3")
    write_metronome(out, args.spm, duration_s=args.duration, overwrite=args.force)
    print(f"wrote {out}: {args.spm:g} clicks/min (one per step), {args.duration:g} s")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .web.server import serve

    serve(host=args.host, port=args.port, data_dir=args.data_dir, token=args.token,
          max_upload_mb=args.max_upload_mb, quiet=args.quiet)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    # mediapipe/TensorFlow Lite write C++ log lines to stderr; keep the terminal readable
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # so do OpenCV and its FFmpeg on a file they cannot open; gait explains that itself
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET
    logging.getLogger("absl").setLevel(logging.ERROR)
    _cap_processes(args)
    handlers = {"analyze": _cmd_analyze, "batch": _cmd_batch, "synth": _cmd_synth,
                "metronome": _cmd_metronome, "serve": _cmd_serve, **history_commands.HANDLERS}
    try:
        return handlers[args.command](args)
    except GaitError as exc:
        print(f"gait: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gait: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # whoever read the output stopped reading (e.g. `gait history NAME | head`): end
        # quietly, as a process stopped by SIGPIPE would, with nothing left to flush
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13
    except OSError as exc:  # the file system refused: permission, disk full, a folder in the way
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"gait: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return FILE_SYSTEM_EXIT_CODE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
