"""Shared libraries found by the loader's cache alone while a worker loads its modules."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from leaflets.workers.libraries import libraries_from_loader_cache, loader_cache, soname_in

X86_64 = "libc6,x86-64"
LISTING = """\
1234 libs found in cache `/etc/ld.so.cache'
\tlibgobject-2.0.so.0 (libc6) => /lib/i386-linux-gnu/libgobject-2.0.so.0
\tlibgobject-2.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libgobject-2.0.so.0
\tlibharfbuzz-subset.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libharfbuzz-subset.so.0
\tlibharfbuzz.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libharfbuzz.so.0
"""

_started: list[str] = []
_watching = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _watching and event == "subprocess.Popen":
        _started.append(os.path.basename(str(args[0])))


sys.addaudithook(_audit)  # hooks cannot be removed; this one only listens while watching


@contextmanager
def programs_started() -> Iterator[list[str]]:
    """The names of the programs this process starts while inside."""
    global _watching
    _started.clear()
    _watching = True
    try:
        yield _started
    finally:
        _watching = False


def test_a_name_is_read_as_ctypes_reads_it() -> None:
    assert soname_in(LISTING, "gobject-2.0", X86_64) == "libgobject-2.0.so.0"
    assert soname_in(LISTING, "harfbuzz", X86_64) == "libharfbuzz.so.0"
    assert soname_in(LISTING, "harfbuzz-subset", X86_64) == "libharfbuzz-subset.so.0"


def test_a_64_bit_machine_passes_over_a_32_bit_library() -> None:
    line = next(line for line in LISTING.splitlines() if "libgobject" in line)
    assert "(libc6)" in line  # the 32-bit one comes first
    assert soname_in(LISTING.replace(line + "\n", ""), "gobject-2.0", X86_64)
    assert soname_in(line + "\n", "gobject-2.0", X86_64) is None
    assert soname_in(line + "\n", "gobject-2.0", "libc6") == "libgobject-2.0.so.0"


def test_a_windows_or_macos_spelling_is_not_in_the_cache() -> None:
    assert soname_in(LISTING, "libgobject-2.0-0", X86_64) is None
    assert soname_in(LISTING, "gobject-2.0-0", X86_64) is None
    assert soname_in(LISTING, "harfbuzz-vector", X86_64) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the loader's cache is Linux's")
def test_a_library_is_found_and_a_missing_one_asks_no_compiler() -> None:
    assert loader_cache() is not None, "ldconfig -p should list the system's libraries"
    with programs_started() as started, libraries_from_loader_cache():
        found = ctypes.util.find_library("gobject-2.0")
        missing = ctypes.util.find_library("gobject-2.0-0")
    assert found is not None and ctypes.CDLL(found)
    assert missing is None
    assert not {"gcc", "cc", "ld", "x86_64-linux-gnu-gcc"} & set(started), started


def test_the_usual_search_is_back_afterwards() -> None:
    usual = ctypes.util.find_library
    with libraries_from_loader_cache():
        assert ctypes.util.find_library is not usual
    assert ctypes.util.find_library is usual
