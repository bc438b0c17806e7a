"""The pictures and files a report shows or links, made before the pages are laid out."""

from __future__ import annotations

from dataclasses import dataclass


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
