"""The systemd units of deploy/systemd as systemd reads them (`systemd-analyze verify`), with this
checkout's paths in place of /srv/roer/app; and gunicorn telling systemd when it serves, which the web
unit's Type=notify waits for (a unit whose process never says so is killed after its start timeout)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from pathlib import Path

from bench.stack import DEPLOY, ROOT, Gunicorn, free_port

UNITS = DEPLOY / "systemd"


def _units(folder: Path) -> list[Path]:
    copies = []
    for name, copy in (("roer-web.service", "roer-web.service"), ("roer-worker@.service", "roer-worker@1.service")):
        (folder / copy).write_text((UNITS / name).read_text().replace("/srv/roer/app", str(ROOT)))
        copies.append(folder / copy)
    return copies


def test_systemd_reads_the_units_without_a_complaint(tmp_path):
    result = subprocess.run(  # noqa: S603 - Debian's systemd-analyze on our own files
        ["/usr/bin/systemd-analyze", "verify", "--man=no", *map(str, _units(tmp_path))],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_gunicorn_tells_systemd_when_it_serves(tmp_path):
    notify = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(notify))
        listener.settimeout(30)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "roer.settings",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'roer.sqlite3'}",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DEBUG": "false",
                "ALLOWED_HOSTS": "127.0.0.1",
                "ROER_VAR_DIR": str(tmp_path),
                "GUNICORN_WORKERS": "1",
                "NOTIFY_SOCKET": str(notify),
            }
        )
        server = Gunicorn(free_port(), env)
        server.start()  # returns once /health/ answers
        try:
            assert "READY=1" in listener.recv(1024).decode()
        finally:
            server.stop()
