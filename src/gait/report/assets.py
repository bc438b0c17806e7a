"""The pictures and files a report shows or links, made before the pages are laid out, and the
cleaned pose track they are drawn from."""

from __future__ import annotations

from dataclasses import dataclass

from ..clean import clean_track
from ..result import GaitResult
from ..track import PoseTrack


def cleaned_track(result: GaitResult, track: PoseTrack) -> PoseTrack:
    """The pose track cleaned exactly as the analysis cleaned it.

    Figures, key frames and the overlay draw the landmarks the analysis
    measured: `track` repaired, filled and low-pass filtered by
    `gait.clean.clean_track` at the result's cut-off. A report cleans once
    and hands the cleaned track to each of them.

    Parameters
    ----------
    result : GaitResult
        Gives the low-pass cut-off (``options["lowpass_hz"]``, Hz).
    track : PoseTrack
        Raw landmarks of the analysed clip.

    Returns
    -------
    PoseTrack
        Cleaned and low-pass filtered landmarks, pixels.
    """
    filtered, _ = clean_track(track, lowpass_hz=result.options.get("lowpass_hz", 10.0))
    return filtered


@dataclass(frozen=True)
class FigureAsset:
    """One rendered figure.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"foot_trajectories"`` (saved as ``figures/<name>.png``).
    png : bytes
    caption : str
        Plain-text caption.
    """

    name: str
    png: bytes
    caption: str


@dataclass(frozen=True)
class KeyFrameAsset:
    """One annotated video frame at initial contact (see `gait.report.keyframes`).

    Parameters
    ----------
    foot : str
    png : bytes
    caption : str
    """

    foot: str
    png: bytes
    caption: str


#: Name of the figure that compares the legs (`FigureAsset.name`).
LEFT_RIGHT_CHART = "left_right"


@dataclass(frozen=True)
class ReportAssets:
    """Everything besides text that the report pages show or link.

    Parameters
    ----------
    figures : tuple of FigureAsset
    keyframes : tuple of KeyFrameAsset
        Empty when the video or the pose track was not available.
    overlay_file : str or None
        Name of the overlay video beside the report, None if not written.
    keyframes_note : str
        Why there are no key frames, "" if there are.
    """

    figures: tuple[FigureAsset, ...] = ()
    keyframes: tuple[KeyFrameAsset, ...] = ()
    overlay_file: str | None = None
    keyframes_note: str = ""

    @property
    def left_right_chart(self) -> FigureAsset | None:
        """The left/right chart, shown under the left/right table; None without one."""
        return next((f for f in self.figures if f.name == LEFT_RIGHT_CHART), None)

    @property
    def figures_section(self) -> tuple[FigureAsset, ...]:
        """The figures of the report's Figures section: all but the left/right chart."""
        return tuple(f for f in self.figures if f.name != LEFT_RIGHT_CHART)
