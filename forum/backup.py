"""A consistent copy of the database, taken while the app keeps serving."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def backup(engine: sa.engine.Engine, target: Path) -> Path:
    """Copy the database behind `engine` to `target`.

    SQLite: the online backup API (a consistent snapshot even mid-write), giving a database
    file. PostgreSQL: `pg_dump --format=custom` (one snapshot transaction), restorable with
    `pg_restore`.
    """
    url = engine.url
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("an in-memory database cannot be backed up")
        tmp = target.with_suffix(target.suffix + ".part")
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        tmp.replace(target)  # never leave a half-written backup under the real name
        return target
    if url.get_backend_name() == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run([pg_dump, "--format=custom", "--no-owner", f"--file={target}", plain],
                                capture_output=True, text=True, timeout=3600)
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_dump failed")
        return target
    raise BackupError(f"no backup method for {url.get_backend_name()}")
