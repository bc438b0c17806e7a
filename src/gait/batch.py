"""Analyse every video in a folder: ``gait batch FOLDER -o OUTDIR``.

Each clip ``FOLDER/<stem>.<ext>`` gets its own results folder
``OUTDIR/<stem>/`` holding ``results.json``, ``steps.csv`` and
``pose_track.npz`` (as written by ``gait analyze``). Clips are analysed one
after another; with ``workers`` > 1 each is spread over that many
processes in chunks (`gait.pipeline.analyze`), and clips shorter than
about 8 s have a single pose chunk and use one core.

Resuming: a clip whose ``OUTDIR/<stem>/results.json`` already holds a result
for the same video content (SHA-256) and the same options is skipped, so an
interrupted batch picks up where it stopped. ``results.json`` is written
last, so a clip interrupted half-way is analysed again. A results folder
from another clip or other options is never overwritten unless ``force``.

Errors: a clip that fails (unreadable, no person, too few steps, ...) is
recorded with its message and the batch goes on; the CLI lists the failures
at the end and exits with `BATCH_FAILED_EXIT_CODE`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from .errors import GaitError, InvalidOptionError, OutputExistsError
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
        progress of the current clip as a fraction).
    analyze_clip : callable, optional
        Replaces `gait.pipeline.analyze` (same signature); for tests.

    Returns
    -------
    BatchReport
    """
    if analyze_clip is None:
        from .pipeline import analyze as analyze_clip
    videos = find_videos(folder)
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise InvalidOptionError(f"{outdir}: exists and is not a folder")
    analysed: list[Path] = []
    skipped: list[Path] = []
    failed: list[ClipFailure] = []
    bar = tqdm(total=len(videos), desc="batch", unit="clip", file=sys.stderr,
               disable=not progress, bar_format="{l_bar}{bar}| {n:.1f}/{total} clips "
                                                 "[{elapsed}<{remaining}]")
    with bar:
        for k, video in enumerate(videos):
            bar.set_postfix_str(video.name)
            clip_out = outdir / video.stem
            try:
                if not force and _finished(video, clip_out, options):
                    skipped.append(video)
                else:
                    def on_progress(stage: str, fraction: float, k: int = k) -> None:
                        if stage == "pose":
                            bar.n = k + 0.95 * fraction
                            bar.refresh()

                    result, track = analyze_clip(video, options=options, cache_dir=cache_dir,
                                                 use_cache=use_cache, progress=False,
                                                 on_progress=on_progress, workers=workers)
                    _write(result, track, clip_out)
                    analysed.append(video)
            except GaitError as exc:
                failed.append(ClipFailure(video, str(exc), exc.exit_code))
            except Exception as exc:  # a bug on one clip must not lose the batch
                failed.append(ClipFailure(
                    video, f"internal error ({type(exc).__name__}: {exc}); please report it", 1))
            bar.n = k + 1
            bar.refresh()
    return BatchReport(tuple(analysed), tuple(skipped), tuple(failed))


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
        same_options = saved["options"] == json.loads(json.dumps(asdict(options)))
    except (OSError, ValueError, KeyError, TypeError):
        same_clip = same_options = False
    if same_clip and same_options:
        return True
    what = "another video" if not same_clip else "other options"
    raise OutputExistsError(
        f"{results} holds results for {what}; pass --force to replace them, or choose "
        "another -o folder")


def _write(result, track, clip_out: Path) -> None:
    """Write one clip's files, ``results.json`` last."""
    clip_out.mkdir(parents=True, exist_ok=True)
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
