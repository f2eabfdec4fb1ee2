"""Full-text search over the leaflets: SQLite FTS5, Danish-aware, kept beside the manifest.

Both the indexed text and the query are folded the same way: lower case, æ → ae, ø → oe,
å → aa, other accents dropped. So "bækken" finds "Bækkensmerter", and "knæ" and "knae" both
find "Knæsmerter". Every query word is a prefix, so results come while a word is typed. A
leaflet is found by its diagnosis codes too: "L03", "DM545", or that SKS code as "M54.5";
and by its language's names: "engelsk", "English", "polsk", "Polski" find the translations.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from leaflets.api import code_from_key, fold, matching_key
from leaflets.config.files import can_write_in
from leaflets.config.labels import language_names
from leaflets.desk.records import LeafletRecord, record_from_json

INDEX_NAME = ".leaflets-search.sqlite"
# Raised whenever what is indexed of a record changes: an index of another version is rebuilt.
INDEX_VERSION = 2
MAX_QUERY = 200
MAX_WORDS = 12
_WORD = re.compile(r"\w+")
# The dot of an ICD-10 code ('M54.5'), dropped so that the code stays one word.
_CODE_DOT = re.compile(r"(?<=\b[A-Za-z][0-9]{2})\.(?=[0-9A-Za-z])")
# Weights for bm25(): a word in the title counts most, then headings and questions.
_RANK = "bm25(texts, 0, 10.0, 4.0, 4.0, 1.0)"

SCHEMA = """
CREATE TABLE IF NOT EXISTS leaflets (
    slug TEXT PRIMARY KEY, key TEXT NOT NULL, record TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    slug UNINDEXED, title, headings, questions, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


def match_expression(query: str) -> str:
    """The FTS5 query for what was typed: every word, each as a prefix."""
    words = _WORD.findall(fold(_CODE_DOT.sub("", query[:MAX_QUERY])))[:MAX_WORDS]
    return " ".join(f'"{word}"*' for word in words)


def code_words(keys: Iterable[str]) -> list[str]:
    """The words a leaflet's codes are found by: each code, and an SKS code's ICD-10 too."""
    words: list[str] = []
    for key in keys:
        code = code_from_key(key)
        words.append(code.code.replace(".", ""))
        words.append(matching_key(code.system, code.code)[1])
    return list(dict.fromkeys(words))


def found_by(record: LeafletRecord) -> list[str]:
    """The words besides its title that find a leaflet as well as the title does: its codes
    and the names of its language."""
    return [*code_words(record.codes), *language_names(record.language)]


class SearchIndex:
    """The search index of one output folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / INDEX_NAME
        self._lock = threading.Lock()
        self.saved = True  # False: kept in memory only, for the folder cannot be written
        if not can_write_in(folder):
            self._db, self.saved = _in_memory(self.path), False
            return
        try:
            self._db = _opened(self.path)
        except (sqlite3.Error, OSError, ValueError, TypeError, RecursionError):
            # Damaged in any way: it is only a cache of what the PDFs say, so it is rebuilt.
            _remove(self.path)
            try:
                self._db = _opened(self.path)
            except (sqlite3.Error, OSError):
                self._db, self.saved = _opened(None), False

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def keys(self) -> dict[str, str]:
        """slug → key of every indexed leaflet, to see which records are out of date."""
        with self._lock:
            return dict(self._db.execute("SELECT slug, key FROM leaflets").fetchall())

    def records(self) -> list[LeafletRecord]:
        """Every indexed leaflet, alphabetically."""
        with self._lock:
            rows = self._db.execute("SELECT record FROM leaflets").fetchall()
        return sorted((record_from_json(row[0]) for row in rows), key=lambda r: r.sort_key)

    def put(self, records: Iterable[LeafletRecord]) -> None:
        """Add or replace these leaflets' records."""
        with self._lock, self._db:
            for record in records:
                self._delete(record.slug)
                self._db.execute(
                    "INSERT INTO leaflets VALUES (?, ?, ?)",
                    (record.slug, record.key, record.to_json()),
                )
                self._db.execute(
                    "INSERT INTO texts VALUES (?, ?, ?, ?, ?)",
                    (
                        record.slug,
                        fold(" ".join([record.title, *found_by(record)])),
                        fold("\n".join(record.headings)),
                        fold("\n".join(record.questions)),
                        fold(record.body),
                    ),
                )

    def keep_only(self, slugs: Iterable[str]) -> None:
        """Drop the leaflets whose articles are gone."""
        wanted = set(slugs)
        with self._lock, self._db:
            for (slug,) in self._db.execute("SELECT slug FROM leaflets").fetchall():
                if slug not in wanted:
                    self._delete(slug)

    def _delete(self, slug: str) -> None:
        self._db.execute("DELETE FROM leaflets WHERE slug = ?", (slug,))
        self._db.execute("DELETE FROM texts WHERE slug = ?", (slug,))

    def search(self, query: str, limit: int = 500) -> list[str]:
        """The slugs that match `query`, best first; every slug for an empty query."""
        expression = match_expression(query)
        if not expression:
            return [record.slug for record in self.records()]
        sql = f"SELECT slug FROM texts WHERE texts MATCH ? ORDER BY {_RANK} LIMIT ?"
        with self._lock:
            try:
                rows = self._db.execute(sql, (expression, limit)).fetchall()
            except sqlite3.OperationalError:
                return []
        return [row[0] for row in rows]


def _opened(path: Path | None, copy_of: Path | None = None) -> sqlite3.Connection:
    """The index at `path` (in memory for None, a copy of the index at `copy_of` if given),
    checked whole: its pages, its tables' columns and every record; raises when any of them
    is damaged."""
    if path is not None and path.exists() and not path.is_file():
        raise OSError(f"{path} is not a file")
    db = sqlite3.connect(":memory:" if path is None else path, check_same_thread=False)
    try:
        if copy_of is not None:
            saved = sqlite3.connect(f"{copy_of.resolve().as_uri()}?mode=ro", uri=True)
            try:
                saved.backup(db)
            finally:
                saved.close()
        db.executescript(SCHEMA)
        _check_version(db)
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("damaged pages")
        db.execute("SELECT slug, title, headings, questions, body FROM texts LIMIT 1").fetchall()
        for slug, key, record in db.execute("SELECT slug, key, record FROM leaflets"):
            if not isinstance(key, str) or record_from_json(record).slug != slug:
                raise ValueError(f"a bad row for {slug!r}")
    except BaseException:
        db.close()
        raise
    return db


def _check_version(db: sqlite3.Connection) -> None:
    """Mark a new index with this version; raise for one made by another version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == INDEX_VERSION:
        return
    if version or db.execute("SELECT 1 FROM leaflets LIMIT 1").fetchone():
        raise ValueError(f"an index of version {version}, not {INDEX_VERSION}")
    db.execute(f"PRAGMA user_version = {INDEX_VERSION}")


def _in_memory(path: Path) -> sqlite3.Connection:
    """A copy in memory of the index at `path` (in a folder that cannot be written), or a new
    one when there is none or it is damaged."""
    if path.is_file():
        with contextlib.suppress(sqlite3.Error, OSError, ValueError, TypeError, RecursionError):
            return _opened(None, copy_of=path)
    return _opened(None)


def _remove(path: Path) -> None:
    """Remove a damaged index, whatever stands in its place, with SQLite's journals."""
    for each in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        if each.is_dir() and not each.is_symlink():
            shutil.rmtree(each, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                each.unlink()
