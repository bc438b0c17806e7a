"""Settings of the web app and where it keeps its data."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidOptionError

#: Hosts that only this computer can reach; binding to anything else needs a token.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
#: Default upload limit in megabytes: a 30 s 4K phone clip is about 200-400 MB.
DEFAULT_MAX_UPLOAD_MB = 1000.0
TOKEN_ENV = "GAIT_WEB_TOKEN"
DATA_DIR_ENV = "GAIT_DATA_DIR"


def default_data_dir() -> Path:
    """The user's gait data folder: ``$GAIT_DATA_DIR``, else ``$XDG_DATA_HOME/gait``,
    else ``~/.local/share/gait`` (not created here)."""
    root = os.environ.get(DATA_DIR_ENV)
    if root:
        return Path(root).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "gait"


def is_local_host(host: str) -> bool:
    """True when `host` is a loopback name or address only this computer reaches."""
    return host in LOCAL_HOSTS or host.startswith("127.")


@dataclass(frozen=True)
class WebConfig:
    """Settings of one web app instance.

    Parameters
    ----------
    data_dir : Path
        Folder for the job database, the athlete history, uploaded videos
        and results (``web.sqlite``, ``history.sqlite``, ``jobs/<id>/``,
        ``comparisons/``, ``pose-cache/``).
    max_upload_mb : float
        Largest accepted upload in megabytes (10**6 bytes).
    token : str, optional
        Access token; when set every page needs it (login form, cookie or
        ``Authorization: Bearer``). Required when `host` is not local.
    host : str
        Address the server binds to; also decides which ``Host`` headers
        are accepted when local (protection against DNS rebinding).
    allowed_hosts : tuple of str
        Extra accepted ``Host`` header names (tests use "testserver").
    start_worker : bool
        Run the background analysis worker (tests of the queue turn it off).
    history_path : Path, optional
        The athlete history database; default ``data_dir / "history.sqlite"``.
        ``gait serve`` without ``--data-dir`` passes the history's own default
        (``$GAIT_DB`` or the user's data folder), the store ``gait analyze
        --athlete`` records into.
    """

    data_dir: Path
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    token: str | None = None
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    start_worker: bool = True
    history_path: Path | None = None

    def __post_init__(self) -> None:
        if not self.max_upload_mb > 0:
            raise InvalidOptionError(f"upload limit must be positive, got {self.max_upload_mb} MB")
        if self.token is not None and len(self.token) < 8:
            raise InvalidOptionError("the access token must have at least 8 characters")
        if not is_local_host(self.host) and not self.token:
            raise InvalidOptionError(
                f"refusing to serve health data on {self.host} without an access token: pass "
                f"--token (or set {TOKEN_ENV}), or bind to 127.0.0.1")

    @property
    def max_upload_bytes(self) -> int:
        """Upload limit in bytes."""
        return int(self.max_upload_mb * 1_000_000)

    @property
    def db_path(self) -> Path:
        """The job and athlete database."""
        return self.data_dir / "web.sqlite"

    @property
    def jobs_dir(self) -> Path:
        """One folder per job: the uploaded video and an ``out/`` folder."""
        return self.data_dir / "jobs"

    @property
    def history_db(self) -> Path:
        """The athlete history database (`gait.history`)."""
        return self.history_path or self.data_dir / "history.sqlite"

    @property
    def comparisons_dir(self) -> Path:
        """Comparison reports, one folder per pair of analysed sessions."""
        return self.data_dir / "comparisons"

    @property
    def pose_cache_dir(self) -> Path:
        """Pose landmark cache, one sub-folder per video content hash."""
        return self.data_dir / "pose-cache"
