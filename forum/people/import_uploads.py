"""A file the organizer checked, kept on the server until they press «Import»: they check a
file, read the report, and import it without choosing it again.

Kept under the instance folder (`kept-imports/`, mode 0700; each file 0600; the setting
KEPT_IMPORTS_DIR names another) by a random token;
it belongs to one forum and one user, and only they get it back. One file per user and
forum is kept (a new check replaces the last), at most `MAX_BYTES` (the import's own limit),
for `KEEP_FOR`; it is deleted once imported, and expired ones are swept whenever a file is kept.
"""
from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from forum.clock import now
from forum.people.sheets import MAX_BYTES

KEEP_FOR = timedelta(hours=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass
class KeptFile:
    token: str
    filename: str  # as the organizer's computer named it, shown on the page
    data: bytes


def _folder() -> Path:
    # instance/kept-imports unless configured (tests keep theirs apart)
    folder = Path(current_app.config.get("KEPT_IMPORTS_DIR") or Path(current_app.instance_path) / "kept-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}.data", folder / f"{token}.json"


def keep(forum_id: int, user_id: int, filename: str, data: bytes) -> str:
    """Keep the file for this forum and user; returns its token. Replaces the one kept before."""
    if len(data) > MAX_BYTES:
        raise ValueError("a kept file is at most the import's size limit")
    sweep(forum_id, user_id)
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _paths(token)
    _write(data_path, data)
    # the description last and whole (written aside, then renamed): a sweep running meanwhile
    # never reads half of it
    aside = meta_path.with_suffix(".part")
    _write(aside, json.dumps({"forum_id": forum_id, "user_id": user_id, "filename": filename[:200],
                              "kept_at": now().isoformat()}).encode())
    os.replace(aside, meta_path)
    return token


def take(forum_id: int, user_id: int, token: str) -> KeptFile | None:
    """The file kept under `token` for this forum and user, or None (unknown, someone else's,
    or expired)."""
    if not _TOKEN.match(token or ""):
        return None
    data_path, meta_path = _paths(token)
    meta = _meta(meta_path)
    if meta is None or (meta.get("forum_id"), meta.get("user_id")) != (forum_id, user_id) or _expired(meta):
        return None
    try:
        return KeptFile(token, meta.get("filename", ""), data_path.read_bytes())
    except OSError:
        return None


def discard(token: str) -> None:
    """Delete a kept file (after its import)."""
    if _TOKEN.match(token or ""):
        data_path, meta_path = _paths(token)
        meta_path.unlink(missing_ok=True)
        data_path.unlink(missing_ok=True)


def sweep(forum_id: int | None = None, user_id: int | None = None) -> None:
    """Delete the expired files, and the one kept before for this forum and user."""
    for meta_path in _folder().glob("*.json"):
        meta = _meta(meta_path)
        mine = meta is not None and (meta.get("forum_id"), meta.get("user_id")) == (forum_id, user_id)
        if meta is None or mine or _expired(meta):
            discard(meta_path.stem)


def _write(path: Path, data: bytes) -> None:
    # 0600 from the start: the file holds people's phones, never readable by other accounts
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def _meta(path: Path) -> dict | None:
    try:
        meta = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _expired(meta: dict) -> bool:
    try:
        kept_at = datetime.fromisoformat(meta["kept_at"])
    except (KeyError, TypeError, ValueError):
        return True
    return now() - kept_at > KEEP_FOR
