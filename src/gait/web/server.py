"""`serve`: run the web app with uvicorn (what ``gait serve`` calls)."""

from __future__ import annotations

import os
from pathlib import Path

from .config import DEFAULT_MAX_UPLOAD_MB, TOKEN_ENV, WebConfig, default_data_dir


def serve(*, host: str = "127.0.0.1", port: int = 8000, data_dir: Path | None = None,
          token: str | None = None, max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
          quiet: bool = False) -> None:
    """Serve the web app until interrupted.

    Parameters
    ----------
    host : str
        Address to bind; anything but a loopback address needs `token`.
    port : int
        TCP port.
    data_dir : Path, optional
        Where jobs, uploads, results and the athlete history are kept. Default:
        `default_data_dir`, with the history where ``gait analyze --athlete``
        keeps it (`gait.history.default_db_path`).
    token : str, optional
        Access token (default ``$GAIT_WEB_TOKEN``).
    max_upload_mb : float
        Largest accepted upload in megabytes.
    quiet : bool
        Log warnings only.

    Raises
    ------
    InvalidOptionError
        Non-local host without a token, or an invalid setting.
    """
    import uvicorn

    from .app import create_app

    from ..history import default_db_path

    config = WebConfig(data_dir=Path(data_dir or default_data_dir()).expanduser(),
                       max_upload_mb=max_upload_mb, token=token or os.environ.get(TOKEN_ENV),
                       host=host, history_path=None if data_dir else default_db_path())
    app = create_app(config)
    app.state.worker.lock_data_folder()  # refuse a second server before binding the port
    shown = f"[{host}]" if ":" in host else host
    if not quiet:
        print(f"gait web app: http://{shown}:{port}/  (data in {config.data_dir}, history "
              f"in {config.history_db}; Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning" if quiet else "info")
