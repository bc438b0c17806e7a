"""Analyse every video in a folder: ``gait batch FOLDER -o OUTDIR``.

Each clip ``FOLDER/<stem>.<ext>`` gets its own results folder
``OUTDIR/<stem>/`` holding ``results.json``, ``steps.csv`` and
``pose_track.npz`` (as written by ``gait analyze``).

Cores: with ``jobs`` > 1 that many clips are analysed at once, each in its
own process and each tracked in one uninterrupted MediaPipe run, so every
clip's results are exactly those of ``gait analyze`` on it alone; the CLI
uses all cores by default. (``workers`` > 1 instead spreads each clip over
processes in chunks, see `gait.pipeline.analyze`; that moves single
contacts by a few frames.) A process that dies (a crash inside MediaPipe,
out of memory) fails only its own clip.

Resuming: a clip whose ``OUTDIR/<stem>/results.json`` already holds a result
for the same video content (SHA-256) and the same options is skipped, so an
interrupted batch picks up where it stopped. ``results.json`` is written
last, so a clip interrupted half-way is analysed again. A results folder
from another clip or other options is never overwritten unless ``force``.

Errors: a clip that fails (unreadable, no person, too few steps, ...) is
recorded with its message and the batch goes on; the CLI lists the failures
at the end and exits with `BATCH_FAILED_EXIT_CODE`. The one-line-per-clip
overview (``batch_summary.csv``) is `gait.batch_overview`.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from .errors import GaitError, InvalidOptionError, OutputExistsError
from .output_paths import ensure_writable_folder
from .pipeline import AnalysisOptions

#: File name endings treated as videos (case-insensitive).
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")
#: Exit code of ``gait batch`` when at least one clip failed.
BATCH_FAILED_EXIT_CODE = 10
#: Files of one clip's results; ``results.json`` last (it marks completion).
RESULT_FILES = ("pose_track.npz", "steps.csv", "results.json")


@dataclass(frozen=True)
class ClipFailure:
    """One clip that could not be analysed."""

    video: Path
    message: str
    exit_code: int


@dataclass(frozen=True)
class BatchReport:
    """What a batch did.

    Attributes
    ----------
    analysed, skipped : tuple of Path
        Clips analysed now, and clips skipped because matching results exist.
    failed : tuple of ClipFailure
        Clips that failed, with their one-line messages.
    """

    analysed: tuple[Path, ...] = field(default_factory=tuple)
    skipped: tuple[Path, ...] = field(default_factory=tuple)
    failed: tuple[ClipFailure, ...] = field(default_factory=tuple)

    @property
    def exit_code(self) -> int:
        """0 when no clip failed, else `BATCH_FAILED_EXIT_CODE`."""
        return BATCH_FAILED_EXIT_CODE if self.failed else 0


def find_videos(folder: str | Path) -> list[Path]:
    """Video files directly in `folder` (not in sub-folders), sorted by name.

    Raises
    ------
    InvalidOptionError
        `folder` is not a folder, holds no video, or two videos share a stem
        (their results folders would collide).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidOptionError(f"{folder}: is not a folder; gait batch takes a folder of videos")
    videos = sorted(p for p in folder.iterdir()
                    if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
    if not videos:
        raise InvalidOptionError(
            f"{folder}: holds no video files ({', '.join(VIDEO_SUFFIXES)})")
    stems: dict[str, Path] = {}
    for video in videos:
        if video.stem in stems:
            raise InvalidOptionError(
                f"{stems[video.stem].name} and {video.name} would share the results folder "
                f"{video.stem}/; rename one of them")
        stems[video.stem] = video
    return videos


def run_batch(
    folder: str | Path,
    outdir: str | Path,
    *,
    options: AnalysisOptions = AnalysisOptions(),
    jobs: int = 1,
    workers: int = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    force: bool = False,
    progress: bool = True,
    analyze_clip: Callable | None = None,
) -> BatchReport:
    """Analyse every video in `folder` into ``outdir/<stem>/``.

    Parameters
    ----------
    folder : str or Path
        Folder of videos (see `find_videos`).
    outdir : str or Path
        Created if missing.
    options : AnalysisOptions
        The same options for every clip.
    jobs : int
        Clips analysed at once, each in its own process (default 1: one
        after another in this process).
    workers : int
        Pose estimation processes per clip (default 1; see
        `gait.pipeline.analyze`).
    cache_dir, use_cache
        Pose cache, as for `gait.pipeline.analyze`.
    force : bool
        Re-analyse clips even when matching results exist, and replace
        results that do not match.
    progress : bool
        Show one progress bar over the whole batch (clips, with the pose
        progress of the clips under way as fractions).
    analyze_clip : callable, optional
        Replaces `gait.pipeline.analyze` (same signature); for tests. With
        ``jobs`` > 1 it must be picklable (a module-level function).

    Returns
    -------
    BatchReport

    Raises
    ------
    InvalidOptionError
        `folder` holds no usable videos, `outdir` is a file, or ``jobs`` < 1.
    """
    if jobs < 1:
        raise InvalidOptionError(f"jobs must be at least 1, got {jobs}")
    videos = find_videos(folder)
    outdir = Path(outdir)
    ensure_writable_folder(outdir)
    clip_args = {"options": options, "cache_dir": cache_dir, "use_cache": use_cache,
                 "workers": workers}
    skipped: list[Path] = []
    failed: dict[Path, ClipFailure] = {}
    todo: list[Path] = []
    for video in videos:
        try:
            if not force and _finished(video, outdir / video.stem, options):
                skipped.append(video)
            else:
                todo.append(video)
        except GaitError as exc:
            failed[video] = ClipFailure(video, str(exc), exc.exit_code)
    bar = tqdm(total=len(videos), desc="batch", unit="clip", file=sys.stderr,
               disable=not progress, bar_format="{l_bar}{bar}| {n:.1f}/{total} clips "
                                                 "[{elapsed}<{remaining}]")
    with bar:
        progress_bar = _BatchProgress(bar, done=len(videos) - len(todo))
        if jobs == 1 or len(todo) <= 1:
            outcomes = _run_here(todo, outdir, clip_args, analyze_clip, progress_bar)
        else:
            outcomes = _run_in_processes(todo, outdir, clip_args, analyze_clip, progress_bar,
                                         jobs=jobs)
    failed.update((video, f) for video, f in outcomes.items() if f is not None)
    analysed = tuple(v for v in todo if outcomes.get(v, False) is None)
    return BatchReport(analysed, tuple(skipped),
                       tuple(failed[v] for v in videos if v in failed))


class _BatchProgress:
    """The batch bar: finished clips plus the pose fraction of clips under way."""

    def __init__(self, bar: tqdm, *, done: int) -> None:
        self.bar = bar
        self.done = done
        self.under_way: dict[Path, float] = {}
        self._show()

    def clip_progress(self, video: Path, fraction: float) -> None:
        self.under_way[video] = 0.95 * fraction
        self._show()

    def clip_finished(self, video: Path) -> None:
        self.under_way.pop(video, None)
        self.done += 1
        self._show()

    def _show(self) -> None:
        self.bar.n = self.done + sum(self.under_way.values())
        self.bar.set_postfix_str(", ".join(v.name for v in self.under_way))
        self.bar.refresh()


def _analyse_one(video: Path, clip_out: Path, clip_args: dict, analyze_clip: Callable | None,
                 on_progress: Callable[[str, float], None]) -> ClipFailure | None:
    """Analyse one clip and write its files; a failure is returned, not raised."""
    if analyze_clip is None:
        from .pipeline import analyze as analyze_clip
    try:
        result, track = analyze_clip(video, progress=False, on_progress=on_progress, **clip_args)
        _write(result, track, clip_out)
        return None
    except GaitError as exc:
        return ClipFailure(video, str(exc), exc.exit_code)
    except Exception as exc:  # a bug on one clip must not lose the batch
        return ClipFailure(
            video, f"internal error ({type(exc).__name__}: {exc}); please report it", 1)


def _run_here(todo: list[Path], outdir: Path, clip_args: dict, analyze_clip: Callable | None,
              progress_bar: _BatchProgress) -> dict[Path, ClipFailure | None]:
    """Analyse the clips one after another in this process."""
    outcomes: dict[Path, ClipFailure | None] = {}
    for video in todo:
        def on_progress(stage: str, fraction: float, video: Path = video) -> None:
            if stage == "pose":
                progress_bar.clip_progress(video, fraction)

        outcomes[video] = _analyse_one(video, outdir / video.stem, clip_args, analyze_clip,
                                       on_progress)
        progress_bar.clip_finished(video)
    return outcomes


def _child_main(conn: Connection, video: Path, clip_out: Path, clip_args: dict,
                analyze_clip: Callable | None) -> None:
    """Body of one clip's process: progress and the outcome go back on `conn`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us on Ctrl-C
    last = [-1.0]

    def on_progress(stage: str, fraction: float) -> None:
        if stage == "pose" and (fraction - last[0] >= 0.01 or fraction >= 1.0):
            last[0] = fraction
            conn.send(("progress", fraction))

    conn.send(("outcome", _analyse_one(video, clip_out, clip_args, analyze_clip, on_progress)))
    conn.close()


def _run_in_processes(todo: list[Path], outdir: Path, clip_args: dict,
                      analyze_clip: Callable | None, progress_bar: _BatchProgress, *,
                      jobs: int) -> dict[Path, ClipFailure | None]:
    """Analyse up to `jobs` clips at once, one fresh process per clip.

    The clips with the most frames start first, so that no long clip is left
    running alone on one core at the end (longest-processing-time-first).
    """
    context = multiprocessing.get_context("spawn")  # no forked MediaPipe or tqdm state
    pending = deque(sorted(todo, key=_frames_to_track, reverse=True))
    running: dict[Path, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    outcomes: dict[Path, ClipFailure | None] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                video = pending.popleft()
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(
                    target=_child_main, name=f"gait-batch-{video.stem}",
                    args=(sender, video, outdir / video.stem, clip_args, analyze_clip))
                process.start()
                sender.close()
                running[video] = (process, receiver)
            ready = wait([conn for _, conn in running.values()]
                         + [proc.sentinel for proc, _ in running.values()])
            for video, (process, conn) in list(running.items()):
                if conn not in ready and process.sentinel not in ready:
                    continue
                _read_messages(video, conn, outcomes, progress_bar)
                if video in outcomes or not process.is_alive():
                    process.join()
                    _read_messages(video, conn, outcomes, progress_bar)
                    conn.close()
                    del running[video]
                    if video not in outcomes:
                        outcomes[video] = ClipFailure(
                            video, f"the analysis process stopped unexpectedly (exit code "
                                   f"{process.exitcode}); out of memory or a crash in the "
                                   "pose model", 1)
                    progress_bar.clip_finished(video)
    finally:
        for process, conn in running.values():
            process.terminate()
            process.join()
            conn.close()
    return outcomes


def _frames_to_track(video: Path) -> int:
    """Frame count the container states for `video` (0 if unreadable: it will fail fast).

    Only orders the clips, so the container's count is enough: no hashing or
    timestamp scan here, `gait.video.probe_video` does those in the clip's own
    process.
    """
    import cv2

    capture = cv2.VideoCapture(str(video))
    try:
        return max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
    finally:
        capture.release()


def _read_messages(video: Path, conn: Connection, outcomes: dict,
                   progress_bar: _BatchProgress) -> None:
    """Read every message waiting on one clip's connection."""
    try:
        while conn.poll():
            kind, payload = conn.recv()
            if kind == "progress":
                progress_bar.clip_progress(video, payload)
            else:
                outcomes[video] = payload
    except (EOFError, OSError):
        pass  # the process is gone; its exit code tells the rest


def _finished(video: Path, clip_out: Path, options: AnalysisOptions) -> bool:
    """True if `clip_out` holds results of this clip with these options.

    Raises
    ------
    OutputExistsError
        `clip_out` holds results of another clip or other options.
    """
    results = clip_out / "results.json"
    if not results.is_file():
        return False
    from .video import file_sha256

    try:
        saved = json.loads(results.read_text())
        same_clip = saved["video"]["sha256"] == file_sha256(video)
        # options added in later versions of gait count at their defaults
        defaults = json.loads(json.dumps(asdict(AnalysisOptions())))
        same_options = ({**defaults, **saved["options"]}
                        == json.loads(json.dumps(asdict(options))))
    except (OSError, ValueError, KeyError, TypeError):
        same_clip = same_options = False
    if same_clip and same_options:
        return True
    what = "another video" if not same_clip else "other options"
    raise OutputExistsError(
        f"{results} holds results for {what}; pass --force to replace them, or choose "
        "another -o folder")


def _write(result, track, clip_out: Path) -> None:
    """Write one clip's files, ``results.json`` last.

    A report or rear-view track of an earlier analysis there (replaced with
    ``force``) is removed: it would describe other results.
    """
    from .report import remove_report_files

    clip_out.mkdir(parents=True, exist_ok=True)
    remove_report_files(clip_out)
    for name in ("pose_track_rear.npz", "steps_rear.csv"):
        (clip_out / name).unlink(missing_ok=True)
    track.save(clip_out / "pose_track.npz")
    result.save_steps_csv(clip_out / "steps.csv")
    result.save_json(clip_out / "results.json")


def format_report(report: BatchReport) -> str:
    """Human-readable summary: counts, then one line per failed clip."""
    lines = [f"batch: {len(report.analysed)} analysed, {len(report.skipped)} skipped "
             f"(results already there), {len(report.failed)} failed"]
    for f in report.failed:
        lines.append(f"  FAILED {f.video.name} (exit code {f.exit_code}): {f.message}")
    return "\n".join(lines)
