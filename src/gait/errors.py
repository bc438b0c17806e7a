"""One small error hierarchy; each error maps to a documented exit code.

Exit codes (also listed in the README and ``gait --help``):

====  =========================================================
0     success
1     unexpected internal error (a bug: please report it)
2     invalid option or argument (`InvalidOptionError`)
3     video missing, unreadable, truncated, empty or not a video
      (`UnreadableVideoError`)
4     no usable person found in the video (`NoPersonError`)
5     too few steps to measure (`TooFewStepsError`)
6     output would overwrite earlier results (`OutputExistsError`)
7     camera view not supported for that role (`UnsupportedViewError`)
8     athlete, session or video not in the history (`NotInHistoryError`)
9     history database unusable: corrupt, newer schema or locked
      (`HistoryStoreError`)
10    ``gait batch`` finished but some clips failed
      (`gait.batch.BATCH_FAILED_EXIT_CODE`)
11    a file could not be read or written: permission, disk full, a
      folder in the way (an `OSError` from the file system,
      `FILE_SYSTEM_EXIT_CODE`)
====  =========================================================
"""

from __future__ import annotations

#: Exit code when the file system refuses a read or write (an `OSError`, e.g.
#: permission denied, disk full, a file where a folder should be).
FILE_SYSTEM_EXIT_CODE = 11


class GaitError(Exception):
    """Base class of every error gait reports to a user.

    The message is one line that says what was expected, what was found and
    how to fix it. ``exit_code`` is the process exit status the CLI uses.
    """

    exit_code: int = 1


class InvalidOptionError(GaitError, ValueError):
    """An option or argument has an impossible or unsupported value."""

    exit_code = 2


class UnreadableVideoError(GaitError):
    """The file is missing, unreadable, truncated, empty or holds no video."""

    exit_code = 3


class NoPersonError(GaitError):
    """Pose estimation found a person in too few frames to analyse."""

    exit_code = 4


class TooFewStepsError(GaitError):
    """Too few gait cycles were detected to compute trustworthy metrics."""

    exit_code = 5


class OutputExistsError(GaitError):
    """Writing would silently overwrite a user's earlier results."""

    exit_code = 6


class UnsupportedViewError(GaitError):
    """The clip's view does not fit its role (e.g. a ``--rear`` clip filmed side-on)."""

    exit_code = 7


class NotInHistoryError(GaitError, LookupError):
    """An athlete, session or video asked for is not in the history database."""

    exit_code = 8


class HistoryStoreError(GaitError):
    """The history database cannot be used: not a database, corrupt, newer schema or locked."""

    exit_code = 9
