"""`unwritable_folder`: a folder nobody may write into, for root and other users alike."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def unwritable_folder(path: Path) -> Iterator[Path]:
    """Create the folder `path` and make it unwritable for the duration of the block.

    Permission bits do not stop root, so as root the folder is made immutable
    with ``chattr +i`` instead; the test is skipped when that is not possible
    (no chattr, or a file system without the flag).
    """
    path.mkdir(parents=True)
    if os.geteuid() != 0:
        path.chmod(0o555)
        undo = ["chmod", "755", str(path)]
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(path)],
                                                    capture_output=True).returncode == 0:
        undo = ["chattr", "-i", str(path)]
    else:
        pytest.skip("running as root without a usable chattr: cannot make a folder unwritable")
    try:
        yield path
    finally:
        subprocess.run(undo, check=True)
