"""`flask forum backup` writes a copy that holds the data, on SQLite and PostgreSQL."""
import sqlite3
import subprocess

import pytest

from tests.factories import make_registration

pytestmark = pytest.mark.both_dbs


def test_backup_holds_the_registrations(runner, app, forum, tmp_path, db_backend):
    make_registration(forum)
    target = tmp_path / "copy.bak"
    result = runner.invoke(args=["forum", "backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    if db_backend == "sqlite":
        with sqlite3.connect(target) as copy:
            assert copy.execute("select count(*) from registration").fetchone() == (1,)
            assert copy.execute("select slug from forum").fetchone() == ("isfara-test",)
    else:
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True)
        assert "TABLE DATA public registration" in listing.stdout


def test_backup_into_a_missing_directory_is_created(runner, app, forum, tmp_path):
    target = tmp_path / "deep" / "dir" / "copy.bak"
    assert runner.invoke(args=["forum", "backup", "-o", str(target)]).exit_code == 0
    assert target.exists()
