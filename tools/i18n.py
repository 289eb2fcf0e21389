"""Translation catalogs: one per package under forum/translations/<catalog>/, merged at run time.

    python tools/i18n.py update [CATALOG]  # extract strings into each (or one) catalog's ru/tg/en .po, keeping translations
    python tools/i18n.py compile   # .po -> .mo (make run / make test do this)
    python tools/i18n.py check     # list strings without a Russian or Tajik translation; exit 1 if any
    python tools/i18n.py fill CATALOG FILE.json
        # set translations from {"msgid": {"ru": "…", "tg": "…"}}; plural msgids use a list per language

Each catalog directory has a `sources.txt`: paths (relative to the repo) whose strings it owns.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "forum" / "translations"
LANGUAGES = ("ru", "tg", "en")
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}}
# pgettext("person", "Name") vs pgettext("organization", "Name"): one English word, two senses.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2),
            "_p": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def catalog_dirs() -> list[Path]:
    return sorted(p for p in CATALOGS.iterdir() if (p / "sources.txt").is_file())


def extract(catalog_dir: Path) -> Catalog:
    template = Catalog(project="forum", charset="utf-8")
    for line in (catalog_dir / "sources.txt").read_text().split():
        path = ROOT / line
        if path.is_dir():
            found = extract_from_dir(str(path), METHODS, OPTIONS, KEYWORDS)
            for filename, lineno, message, comments, context in found:
                template.add(message, locations=[(str((path / filename).relative_to(ROOT)), lineno)],
                             auto_comments=comments, context=context)
        elif path.is_file():
            found = extract_from_dir(str(path.parent), [(path.name, "python" if path.suffix == ".py" else "jinja2")],
                                     OPTIONS, KEYWORDS)
            for filename, lineno, message, comments, context in found:
                template.add(message, locations=[(str((path.parent / filename).relative_to(ROOT)), lineno)],
                             auto_comments=comments, context=context)
    return template


def po_path(catalog_dir: Path, lang: str) -> Path:
    return catalog_dir / lang / "LC_MESSAGES" / "messages.po"


def load(path: Path, lang: str) -> Catalog:
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=lang)
    return Catalog(locale=lang, project="forum", charset="utf-8")


def update(only: str | None = None) -> None:
    for catalog_dir in catalog_dirs():
        if only and catalog_dir.name != only:
            continue
        template = extract(catalog_dir)
        for lang in LANGUAGES:
            path = po_path(catalog_dir, lang)
            catalog = load(path, lang)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.fuzzy = False
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as f:
                write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True, sort_output=True)
        print(f"{catalog_dir.name}: {len(template)} strings")


def compile_all() -> None:
    for catalog_dir in catalog_dirs():
        for lang in LANGUAGES:
            path = po_path(catalog_dir, lang)
            if path.exists():
                catalog = load(path, lang)
                with path.with_suffix(".mo").open("wb") as f:
                    write_mo(f, catalog, use_fuzzy=False)


def missing() -> list[str]:
    """Strings in the code with no Russian or Tajik translation in their catalog."""
    problems = []
    for catalog_dir in catalog_dirs():
        template = extract(catalog_dir)
        for lang in ("ru", "tg"):
            catalog = load(po_path(catalog_dir, lang), lang)
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id, message.context)
                text = found.string if found else None
                ok = found is not None and not found.fuzzy and (all(text) if isinstance(text, tuple) else bool(text))
                if not ok:
                    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                    problems.append(f"{catalog_dir.name}/{lang}: {msgid!r}")
    return problems


def conflicts() -> list[str]:
    """Strings translated differently by two catalogs: the merged catalog would pick one at
    random-looking order, so a page could say «Отменено» where another says «Отменена»."""
    seen: dict[tuple, tuple[str, object]] = {}
    problems = []
    for catalog_dir in catalog_dirs():
        for lang in ("ru", "tg"):
            path = po_path(catalog_dir, lang)
            if not path.exists():
                continue
            for message in load(path, lang):
                if not message.id or not message.string or message.fuzzy:
                    continue
                key = (lang, message.id, message.context)
                if key in seen and seen[key][1] != message.string:
                    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                    problems.append(f"{lang}: {msgid!r}: {seen[key][0]} says {seen[key][1]!r}, "
                                    f"{catalog_dir.name} says {message.string!r}")
                seen.setdefault(key, (catalog_dir.name, message.string))
    return problems


def fill(catalog_name: str, json_path: str) -> None:
    import json

    catalog_dir = CATALOGS / catalog_name
    entries = json.loads(Path(json_path).read_text(encoding="utf-8"))
    for lang in ("ru", "tg", "en"):
        path = po_path(catalog_dir, lang)
        catalog = load(path, lang)
        changed = 0
        for message in catalog:
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            text = entries.get(msgid, {}).get(lang)
            if text:
                message.string = tuple(text) if isinstance(message.id, tuple) else text
                message.flags.discard("fuzzy")
                changed += 1
        with path.open("wb") as f:
            write_po(f, catalog, width=100, ignore_obsolete=True, sort_output=True)
        print(f"{catalog_name}/{lang}: {changed} set")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update(sys.argv[2] if len(sys.argv) > 2 else None)
    elif command == "compile":
        compile_all()
    elif command == "fill":
        fill(sys.argv[2], sys.argv[3])
    elif command == "check":
        gaps = missing() + conflicts()
        print("\n".join(gaps) or "all strings translated")
        sys.exit(1 if gaps else 0)
    else:
        sys.exit(__doc__)
