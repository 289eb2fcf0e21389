"""One archive of everything the forum keeps, taken while the app keeps serving, and its restore.

The archive (tar.gz, mode 0600: it holds phones and password hashes) contains
`manifest.json`, the database (`database.sqlite3` from SQLite's online backup API, or
`database.pgdump` from `pg_dump --format=custom`) and `uploads/` (exhibitors' photos,
children's drawings).
"""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    pass


def _backend(engine: sa.engine.Engine) -> str:
    backend = engine.url.get_backend_name()
    if backend not in DATABASE_FILES:
        raise BackupError(f"no backup method for {backend}")
    if backend == "sqlite" and (not engine.url.database or engine.url.database == ":memory:"):
        raise BackupError("an in-memory database cannot be backed up")
    return backend


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _pg_url(engine: sa.engine.Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{Path(command[0]).name} failed")


def _sqlite_file(engine: sa.engine.Engine) -> str:
    if not engine.url.database:
        raise BackupError("an in-memory SQLite database has no file to back up")
    return engine.url.database


def _dump_database(engine: sa.engine.Engine, backend: str, target: Path) -> None:
    if backend == "sqlite":
        source, dest = sqlite3.connect(_sqlite_file(engine)), sqlite3.connect(target)
        try:
            source.backup(dest)  # a consistent snapshot even mid-write
        finally:
            dest.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _pg_url(engine)])


def backup(engine: sa.engine.Engine, upload_dir: Path | str, target: Path | str) -> Path:
    """Write one archive of the database behind `engine` and the files under `upload_dir`.

    Promises: the archive is readable by its owner only from its first byte, and appears
    under its name only once complete.
    """
    backend = _backend(engine)
    target, upload_dir = Path(target), Path(upload_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / DATABASE_FILES[backend]
        _dump_database(engine, backend, database)
        manifest = json.dumps({"format": FORMAT, "database": backend,
                               "created_at": datetime.now(UTC).isoformat(timespec="seconds")}).encode()
        part.unlink(missing_ok=True)
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(manifest), 0o600
            archive.addfile(info, io.BytesIO(manifest))
            archive.add(database, arcname=DATABASE_FILES[backend])
            if upload_dir.is_dir():
                archive.add(upload_dir, arcname="uploads")
    os.chmod(part, 0o600)  # whatever the umask
    part.replace(target)
    return target


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile("manifest.json")
        if member is None:  # a directory or link of that name
            raise KeyError("manifest.json")
        manifest = json.load(member)
    except (KeyError, ValueError, AttributeError):
        raise BackupError("not a forum backup (no manifest.json)") from None
    if manifest.get("format") != FORMAT or manifest.get("database") not in DATABASE_FILES:
        raise BackupError("a backup of an unknown format")
    return manifest


def holds_data(engine: sa.engine.Engine, upload_dir: Path | str) -> bool:
    """Whether a restore would overwrite something: forums or users in the database, or files
    under the upload folder."""
    upload_dir = Path(upload_dir)
    if upload_dir.is_dir() and any(path.is_file() for path in upload_dir.rglob("*")):
        return True
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        return any(connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()
                   for table in ("forum", "user_account") if table in tables)


def restore(engine: sa.engine.Engine, upload_dir: Path | str, source: Path | str) -> dict:
    """Bring back the database and the uploads from an archive made by `backup`; returns its
    manifest. The caller makes sure nothing uses the database meanwhile and that overwriting
    is wanted (`holds_data`). The uploads folder becomes the archive's exactly."""
    backend = _backend(engine)
    upload_dir = Path(upload_dir)
    if not tarfile.is_tarfile(source):
        raise BackupError(f"{source} is not a forum backup (not a tar archive)")
    with tarfile.open(source, mode="r:*") as archive, tempfile.TemporaryDirectory() as scratch:
        manifest = _manifest(archive)
        if manifest["database"] != backend:
            raise BackupError(f"this is a backup of a {manifest['database']} database, not {backend}")
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(scratch, filter="data")
        database = Path(scratch) / DATABASE_FILES[backend]
        if not database.is_file():
            raise BackupError("the archive holds no database")
        engine.dispose()
        if backend == "sqlite":
            source_db, dest = sqlite3.connect(database), sqlite3.connect(_sqlite_file(engine))
            try:
                source_db.backup(dest)  # page by page into the live file, its WAL included
            finally:
                dest.close()
                source_db.close()
        else:
            _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  f"--dbname={_pg_url(engine)}", str(database)])
        # Emptied, not removed: the folder may be a mount shared by several hosts.
        upload_dir.mkdir(parents=True, exist_ok=True)
        for child in upload_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        uploads = Path(scratch) / "uploads"
        if uploads.is_dir():
            shutil.copytree(uploads, upload_dir, dirs_exist_ok=True)
    return manifest
