"""The versions of a file in its git repository, read by dulwich, which runs no program.

The git program obeys the repository's own configuration, and a content folder's `.git/config`
is as untrusted as its articles: a signature checker, an SSH command or an upload-pack for a
missing object would each run a program of its choosing. dulwich reads the objects in Python;
only its object store, references and commits are used here, never hooks, filters, signatures
or transports. The walk follows `git log -- FILE`: newest commit date first, and through a
merge only the first parent whose file is the same, when there is one.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from dulwich.object_store import BaseObjectStore
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import HEADREF
from dulwich.repo import Repo

MAX_WALKED = 10_000  # commits looked at in all, however few touched the file
TIMEOUT_SECONDS = 10  # a pipe in place of a repository file would be waited on for ever

# A path's entry in one tree: its mode and object id, or None where it is absent.
Entry = tuple[int, ObjectID] | None


@dataclass(frozen=True)
class Version:
    """The file as one commit left it: its bytes (None where there was none) and the date."""

    day: dt.date
    data: bytes | None


def file_versions(path: Path, limit: int) -> list[Version]:
    """The file's versions in the commits that changed it, newest first, at most `limit`.

    Empty when the file is in no repository, or in one that cannot be read in time.
    """
    found: list[list[Version]] = []
    reader = threading.Thread(
        target=lambda: found.append(_read_versions(path, limit)), name="git-history", daemon=True
    )
    reader.start()
    reader.join(TIMEOUT_SECONDS)
    return found[0] if found else []


def _read_versions(path: Path, limit: int) -> list[Version]:
    try:
        with Repo.discover(str(path.parent)) as repo:
            names = _path_in(repo, path)
            return _walk(repo, names, limit) if names else []
    except Exception:  # a damaged repository has no history to tell, whatever dulwich finds odd
        return []


def _path_in(repo: Repo, path: Path) -> list[bytes]:
    """The file's path inside the repository's tree, one name a part; [] when outside."""
    if repo.bare:
        return []
    top = Path(repo.path).resolve()
    if not path.is_relative_to(top):
        return []
    return [os.fsencode(part) for part in path.relative_to(top).parts]


def _walk(repo: Repo, names: list[bytes], limit: int) -> list[Version]:
    lookup = _PathLookup(repo.object_store, names)
    head = repo.refs[HEADREF]
    pending = {head: _commit(repo, head)}
    queue = [(-pending[head].commit_time, 0, head)]
    seen = {head}
    versions: list[Version] = []
    walked = 0
    while queue and len(versions) < limit and walked < MAX_WALKED:
        commit_id = heapq.heappop(queue)[2]
        commit = pending.pop(commit_id)
        walked += 1
        entry = lookup.entry(commit.tree)
        parents = {parent: _commit(repo, parent) for parent in repo.get_parents(commit_id, commit)}
        same = [parent for parent, old in parents.items() if lookup.entry(old.tree) == entry]
        if same:  # the file came from that parent unchanged: its history is that parent's
            parents = {same[0]: parents[same[0]]}
        elif parents or entry is not None:
            versions.append(Version(_day(commit), lookup.data(entry)))
        for parent_id, parent in parents.items():
            if parent_id not in seen:
                seen.add(parent_id)
                pending[parent_id] = parent
                heapq.heappush(queue, (-parent.commit_time, len(seen), parent_id))
    return versions


class _PathLookup:
    """The file's entry in a tree, each subtree read once however many commits share it."""

    def __init__(self, store: BaseObjectStore, names: list[bytes]) -> None:
        self._store = store
        self._names = names
        self._known: dict[tuple[int, ObjectID], Entry] = {}

    def entry(self, tree_id: ObjectID, depth: int = 0) -> Entry:
        """The mode and id at the path below `tree_id`, from the `depth`th name on."""
        key = (depth, tree_id)
        if key not in self._known:
            self._known[key] = self._find(tree_id, depth)
        return self._known[key]

    def _find(self, tree_id: ObjectID, depth: int) -> Entry:
        tree = self._store[tree_id]
        if not isinstance(tree, Tree) or self._names[depth] not in tree:
            return None
        mode, sha = tree[self._names[depth]]
        if depth + 1 == len(self._names):
            return (mode, sha)
        return self.entry(sha, depth + 1) if stat.S_ISDIR(mode) else None

    def data(self, entry: Entry) -> bytes | None:
        """The bytes of a file entry; None for none, a submodule or a missing object."""
        if entry is None or stat.S_ISDIR(entry[0]):
            return None
        try:
            blob = self._store[entry[1]]
        except KeyError:  # a partial clone keeps old objects on its server; nothing fetches them
            return None
        return blob.data if isinstance(blob, Blob) else None


def _commit(repo: Repo, commit_id: ObjectID) -> Commit:
    commit = repo.object_store[commit_id]
    if not isinstance(commit, Commit):
        raise ValueError(f"{commit_id!r} is no commit")
    return commit


def _day(commit: Commit) -> dt.date:
    """The committer's date in the committer's own time zone, as `git log --format=%cs`."""
    offset = dt.timezone(dt.timedelta(seconds=commit.commit_timezone))
    return dt.datetime.fromtimestamp(commit.commit_time, offset).date()
