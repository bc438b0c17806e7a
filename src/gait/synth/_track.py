"""`synthetic_track`: the runner's landmarks as a `PoseTrack`, optionally corrupted."""

from __future__ import annotations

import cv2
import numpy as np

from ..errors import InvalidOptionError
from ..landmarks import INDEX
from ..track import PoseTrack
from ._camera import Camera
from ._model import RunnerModel
from ._params import SynthParams
from ._render import occluder_polygons_m
from ._truth import make_truth

#: Visibility given to landmarks on the far side of the body.
FAR_VISIBILITY = 0.6
#: Visibility given to far-side landmarks hidden by the treadmill (``occlusion=True``).
OCCLUDED_VISIBILITY = 0.2
#: Landmarks whose left/right labels a simulated swap exchanges.
SWAPPED_POINTS = ("ankle", "heel", "foot_index")


def synthetic_track(
    params: SynthParams,
    *,
    dropout_frac: float = 0.0,
    dropout_max_frames: int = 5,
    swap_runs: int = 0,
    swap_max_frames: int = 3,
) -> tuple[PoseTrack, dict]:
    """Sample the synthetic runner at the frame times and project it to pixels.

    Uses the same camera as `render_video`, so the landmarks are where the
    rendered joints are drawn.

    Parameters
    ----------
    params : SynthParams
        The runner and clip; ``params.noise_px`` adds Gaussian noise (pixels,
        standard deviation per coordinate) to every landmark.
    dropout_frac : float
        Fraction of frames, in [0, 0.9], set to NaN (no person), in runs of
        1 to `dropout_max_frames` frames (neighbouring runs may touch).
    dropout_max_frames : int
        Longest run of dropped frames.
    swap_runs : int
        Number of runs of frames (at random starts; runs may touch or
        overlap) on which the left and right labels of the foot points
        (ankle, heel, foot index) are exchanged, the typical pose model
        failure on the far leg.
    swap_max_frames : int
        Longest run of swapped frames.

    Returns
    -------
    track : PoseTrack
        ``xy_px`` of all 33 landmarks, ``visibility`` 1.0 on the near side,
        `FAR_VISIBILITY` on the far side (`OCCLUDED_VISIBILITY` where hidden
        by the treadmill), ``source="synthetic"``; ``world_m`` is None.
    truth : dict
        Exact gait parameters and events (schema ``gait.synth.truth/1``),
        plus ``dropout_frames`` and ``swap_frames``: sorted frame indices
        that were dropped or swapped.
    """
    if not 0.0 <= dropout_frac <= 0.9:
        raise InvalidOptionError(f"dropout_frac must be from 0 to 0.9, got {dropout_frac!r}")
    for name, value in (("dropout_max_frames", dropout_max_frames),
                        ("swap_max_frames", swap_max_frames)):
        if not isinstance(value, int) or value < 1:
            raise InvalidOptionError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(swap_runs, int) or swap_runs < 0:
        raise InvalidOptionError(f"swap_runs must be a non-negative integer, got {swap_runs!r}")

    model = RunnerModel(params)
    camera = Camera.for_params(params)
    n = params.n_frames
    t_s = np.arange(n) / params.fps
    world = model.landmarks_m(t_s)
    xy = camera.project(world)
    far = world[0, :, 2] < 0
    vis = np.where(far, FAR_VISIBILITY, 1.0)[None, :].repeat(n, axis=0)
    if params.occlusion:
        hidden = _occluded(xy, camera) & far[None, :]
        vis[hidden] = OCCLUDED_VISIBILITY

    if params.noise_px > 0:
        xy = xy + np.random.default_rng([params.seed, 2]).normal(0.0, params.noise_px, xy.shape)
    rng = np.random.default_rng([params.seed, 3])
    swapped = _random_runs(rng, n, swap_runs, max_frames=swap_max_frames)
    for name in SWAPPED_POINTS:
        i, j = INDEX[f"left_{name}"], INDEX[f"right_{name}"]
        xy[swapped, i], xy[swapped, j] = xy[swapped, j], xy[swapped, i].copy()
        vis[swapped, i], vis[swapped, j] = vis[swapped, j], vis[swapped, i].copy()
    dropped = _runs_covering(rng, n, round(dropout_frac * n), max_frames=dropout_max_frames)
    xy[dropped] = np.nan
    vis[dropped] = np.nan

    truth = make_truth(model, camera)
    truth["dropout_frames"] = np.flatnonzero(dropped).tolist()
    truth["swap_frames"] = np.flatnonzero(swapped).tolist()
    log = [f"synthetic runner: {params}"]
    if dropped.any() or swapped.any():
        log.append(f"corrupted: {int(dropped.sum())} frames dropped, {int(swapped.sum())} foot swaps")
    track = PoseTrack(t_s=t_s, xy_px=xy, visibility=vis, fps=params.fps,
                      size_px=(params.width_px, params.height_px), source="synthetic",
                      log=tuple(log))
    return track, truth


def _occluded(xy_px: np.ndarray, camera: Camera) -> np.ndarray:
    """Boolean (n_frames, n_landmarks): the point lies inside an occluder's image."""
    out = np.zeros(xy_px.shape[:2], bool)
    flat = xy_px.reshape(-1, 2)
    for quad in occluder_polygons_m():
        contour = camera.project(quad).astype(np.float32)
        inside = np.array([cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0
                           for x, y in flat])
        out |= inside.reshape(out.shape)
    return out


def _random_runs(rng: np.random.Generator, n: int, n_runs: int, *, max_frames: int) -> np.ndarray:
    """Boolean mask (n,) of `n_runs` runs of 1..max_frames frames at random starts (may touch)."""
    mask = np.zeros(n, bool)
    for _ in range(n_runs):
        start = int(rng.integers(0, n))
        mask[start : start + int(rng.integers(1, max_frames + 1))] = True
    return mask


def _runs_covering(rng: np.random.Generator, n: int, n_frames: int, *,
                   max_frames: int) -> np.ndarray:
    """Boolean mask (n,) with exactly `n_frames` frames set, in runs of 1..max_frames frames."""
    mask = np.zeros(n, bool)
    n_frames = min(n_frames, n)
    while mask.sum() < n_frames:
        start = int(rng.integers(0, n))
        free = np.flatnonzero(~mask[start : start + int(rng.integers(1, max_frames + 1))]) + start
        mask[free[: n_frames - int(mask.sum())]] = True
    return mask
