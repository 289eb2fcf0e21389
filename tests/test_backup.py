"""`flask forum backup` writes one archive, readable by its owner only, of the database and
the uploads; `flask forum restore` brings both back, on SQLite and PostgreSQL."""
from __future__ import annotations

import stat
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Registration
from tests.factories import make_forum, make_registration

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


pytestmark = pytest.mark.both_dbs
DRAWING = b"\x89PNG\r\n\x1a\n a child's drawing"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def uploads(app) -> Path:
    folder = Path(app.config["UPLOAD_DIR"])
    (folder / "drawings").mkdir(parents=True)
    (folder / "drawings" / "k3x9.png").write_bytes(DRAWING)
    (folder / "exhibition" / "1").mkdir(parents=True)
    (folder / "exhibition" / "1" / "carpet.jpg").write_bytes(b"a carpet")
    return folder


def test_the_archive_holds_database_and_uploads_and_only_its_owner_reads_it(runner, app, forum, uploads, tmp_path,
                                                                            db_backend):
    make_registration(forum)
    target = tmp_path / "deep" / "dir" / "forum.tar.gz"
    result = runner.invoke(args=[*FORUM_EN, "backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with tarfile.open(target) as archive:
        names = set(archive.getnames())
        assert archive.extractfile("uploads/drawings/k3x9.png").read() == DRAWING
    database = "database.sqlite3" if db_backend == "sqlite" else "database.pgdump"
    assert {"manifest.json", database, "uploads/exhibition/1/carpet.jpg"} <= names
    assert not list(tmp_path.glob("deep/dir/*.part"))


def test_restore_brings_back_the_database_and_the_uploads(runner, app, forum, uploads, tmp_path):
    make_registration(forum)
    archive = tmp_path / "forum.tar.gz"
    assert runner.invoke(args=[*FORUM_EN, "backup", "-o", str(archive)]).exit_code == 0

    # After the backup: a registration taken off, a forum added, a drawing lost, a stray file.
    db.session.execute(sa.delete(Registration))
    make_forum(slug="added-later")
    (uploads / "drawings" / "k3x9.png").unlink()
    (uploads / "stray.txt").write_text("not in the backup")

    refused = runner.invoke(args=[*FORUM_EN, "restore", str(archive)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    db.session.remove()
    assert _count(Forum) == 2 and (uploads / "stray.txt").exists()  # nothing changed

    restored = runner.invoke(args=[*FORUM_EN, "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    db.session.remove()
    assert [f.slug for f in db.session.scalars(sa.select(Forum))] == ["isfara-test"]
    assert _count(Registration) == 1
    assert (uploads / "drawings" / "k3x9.png").read_bytes() == DRAWING
    assert not (uploads / "stray.txt").exists()


def test_restore_refuses_what_is_not_a_forum_backup(runner, app, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(__file__, arcname="../../etc/evil")
    result = runner.invoke(args=[*FORUM_EN, "restore", str(bogus), "--yes"])
    assert result.exit_code != 0 and "not a forum backup" in result.output
