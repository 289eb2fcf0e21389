"""Badge PDF for 1,000 registrations, against its floor.

Measured: what the organizer's download does — load 1,000 registrations from the database,
issue their badge contents (each in its person's language), build every QR matrix and draw
them on A4 sheets with cut marks.
Floor: a bare script that replays the very same canvas operations (text already fitted, QR
modules already computed) and saves the PDF. Bound: at most 2× the floor.
"""
from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path

from bench import Row, best_of

COUNT = 1000


class _RecordingPath:
    def __init__(self):
        self.ops: list = []

    def __getattr__(self, name):
        def record(*args, **kwargs):
            self.ops.append((name, args, kwargs))
        return record


class _RecordingCanvas:
    """Stands in for a reportlab Canvas and writes down every call, to replay them bare."""

    def __init__(self):
        self.log: list = []

    def beginPath(self):  # noqa: N802 (reportlab's name)
        path = _RecordingPath()
        self.log.append(("__path__", path, None))
        return path

    def drawPath(self, path, **kwargs):  # noqa: N802
        self.log.append(("drawPath", (path,), kwargs))

    def __getattr__(self, name):
        def record(*args, **kwargs):
            self.log.append((name, args, kwargs))
        return record


def _record(badges, matrices) -> list[list]:
    """The canvas calls of every page, with text fitted and QR drawn as the product does."""
    from forum.badges.pdf import SHEETS, _cut_marks, draw_badge

    sheet = SHEETS["a4"]
    pages, slot = [], len(sheet.origins)
    recorder = None
    for badge in badges:
        if slot == len(sheet.origins):
            recorder = _RecordingCanvas()
            pages.append(recorder.log)
            _cut_marks(recorder, sheet)
            slot = 0
        x, y = sheet.origins[slot]
        draw_badge(recorder, x, y, sheet.badge[0], sheet.badge[1], badge, matrices[badge.secret])
        slot += 1
    return pages


def _bare(pages: list[list]) -> bytes:
    """The floor: the recorded calls on a fresh canvas, then save."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from forum.pdf import register_fonts

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    for log in pages:
        paths = {}
        for name, args, kwargs in log:
            if name == "__path__":
                path = canvas.beginPath()
                for op, op_args, op_kwargs in args.ops:
                    getattr(path, op)(*op_args, **op_kwargs)
                paths[id(args)] = path
            elif name == "drawPath":
                canvas.drawPath(paths[id(args[0])], **kwargs)
            else:
                getattr(canvas, name)(*args, **kwargs)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _load():
    """A forum of 1,000 registrations: Cyrillic and Tajik names, some long, three languages."""
    from datetime import date, time

    from forum.demo import texts
    from forum.demo.names import person_name
    from forum.events.models import Forum
    from forum.events.service import local_span
    from forum.extensions import db
    from forum.people.models import Organization, Person
    from forum.people.service import new_registration

    rng = random.Random(5)
    starts_at, ends_at = local_span(date(2011, 5, 5), time(9), time(17), "Asia/Dushanbe")
    forum = Forum(slug="bench-badges", status="published", starts_at=starts_at, ends_at=ends_at,
                  **{k: texts.ISFARA[k] for k in ("title", "city", "venue", "address", "goals", "description", "contacts")})
    db.session.add(forum)
    groups = [Organization(name=f"ГВП «Ҳамкорӣ-{n}», Ғончӣ", kind="shg") for n in range(60)]
    db.session.add_all(groups)
    categories = ["shg_member"] * 8 + ["shg_leader", "guest", "press", "staff", "exhibitor", "employer", "performer"]
    for n in range(COUNT):
        person = Person(full_name=person_name(rng, rng.random() < 0.8) + (" Ҳикматуллоевна" if n % 7 == 0 else ""),
                        phone=f"+99292{n:07d}", language=rng.choice(["ru", "tg", "tg", "en"]),
                        organization=rng.choice(groups))
        new_registration(forum, person, rng.choice(categories))
    db.session.commit()
    return forum


def run() -> list[Row]:
    from config import TestConfig
    from forum import create_app
    from forum.badges import qr, service
    from forum.badges.pdf import render
    from forum.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        with app.app_context():
            db.create_all()
            forum = _load()

            def product() -> bytes:
                db.session.expire_all()
                registrations = service.registrations_to_print(forum, service.BadgeFilter())
                contents = service.badges_for(forum, registrations)
                db.session.commit()
                return render(contents, "a4", title="badges")

            data = product()
            registrations = service.registrations_to_print(forum, service.BadgeFilter())
            contents = service.badges_for(forum, registrations)
            matrices = {b.secret: qr.matrix(b.secret) for b in contents}
            pages = _record(contents, matrices)
            bare_data = _bare(pages)
            measured = best_of(product, 3)
            floor = best_of(lambda: _bare(pages), 3)
            db.session.remove()
    note = f"{COUNT} badges, {len(pages)} A4 pages, {len(data) // 1024} KiB (floor {len(bare_data) // 1024} KiB)"
    return [Row("badges: PDF of 1,000 badges (A4, 4 per page)", measured, floor, "s", "≤ 2× floor",
                measured <= 2 * floor, note)]
