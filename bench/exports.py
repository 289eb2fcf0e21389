"""The registrations export of a big forum: 50,000 registrations (40,000 through the door) as
CSV and as XLSX, through the whole app (GET …/registrations/export), on SQLite and PostgreSQL.

Floors (bench/floors/exports.py), each the least work that gives the same file: one bare SQL
statement of the same columns (the first arrival included), streamed, written with csv.writer;
for XLSX the same rows as the sheet's XML of inline strings in a deflated zip. Bounds (issue
19): each ≤ 3 s, and streamed: peak memory (tracemalloc) at 50,000 at most 1.2× that at 5,000.
"""
from __future__ import annotations

from bench import Row, alternate, app_with_schema, peak_memory, scaled

BACKENDS = ("sqlite", "postgresql")
FLAT = 1.2  # peak memory at 10× the rows, at most this many times the smaller one's


def run(backend: str):
    from bench.floors import exports as floors
    from bench.people import crowd_forum
    from forum.extensions import db
    from tests.factories import PASSWORD, make_user

    size, small = scaled(50_000, 500), scaled(5_000, 50)
    with app_with_schema(backend) as (app, _url):
        forum_id = crowd_forum("bench", size)
        crowd_forum("bench-small", small)
        make_user("organizer", email="bench@forum.example")
        client = app.test_client()
        assert client.post("/auth/login", data={"email": "bench@forum.example", "password": PASSWORD}).status_code == 302

        def get(path: str):
            def fetch() -> int:
                db.session.remove()  # each request its own session: nothing cached between runs
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                try:  # read as a client would, piece by piece
                    return sum(len(piece) for piece in response.response)
                finally:
                    response.close()
            return fetch

        for kind, floor_fn in (("csv", floors.bare_csv), ("xlsx", floors.bare_xlsx)):
            export = get(f"/manage/bench/registrations/export?format={kind}")
            export()
            value, floor = alternate(export, lambda floor_fn=floor_fn: floor_fn(db.engine, forum_id))
            big_peak = peak_memory(export)
            small_peak = peak_memory(get(f"/manage/bench-small/registrations/export?format={kind}"))
            yield Row(f"{kind.upper()} export of {size:,}", value, floor, "s", f"≤ 3 s; memory flat (≤ {FLAT}×)",
                      value.median <= 3 and big_peak <= FLAT * small_peak,
                      f"peak {big_peak:.1f} MB at {size:,}, {small_peak:.1f} MB at {small:,} (tracemalloc)",
                      backend=backend, floor_name=f"bare SQL + {'csv.writer' if kind == 'csv' else 'sheet XML in a zip'}")
