"""Reading a translation's source history runs no program, whatever the repository's config says.

Each test makes a real repository with real commits around a content folder, then sets up one
way a `.git/config` (or a file beside it) can make the git program run a program of its
choosing: each such program would leave a marker file. `translations`, `check` and `build` run
on the folder; no marker may appear, and the translation's state must still be told right.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from dulwich.objects import Commit
from dulwich.repo import Repo

from leaflets.article.git_history import file_versions

from ..conftest import Run
from .test_translations import LANGUAGES, catalogue_folder

PGP_SIGNATURE = b"-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n"
SSH_SIGNATURE = b"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n"
HOOKS = ("pre-commit", "post-checkout", "post-merge", "post-rewrite", "reference-transaction",
         "post-index-change", "pre-auto-gc", "fsmonitor-watchman", "push-to-checkout")  # fmt: skip


class Site:
    """A repository holding a content folder of translated articles, two commits deep."""

    def __init__(self, root: Path) -> None:
        self.root = root / "site"
        self.articles = self.root / "content" / "articles"
        self.articles.parent.mkdir(parents=True)
        catalogue_folder(self.articles)
        self.env = {**os.environ, "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1"}
        self.git("init", "-q", str(self.root), where=root)
        self.commit("translated")
        self.source = self.articles / "baekkensmerter.md"
        self.translated = self.git("rev-parse", f"HEAD:content/articles/{self.source.name}")
        text = self.source.read_text(encoding="utf-8")
        self.source.write_text(text.replace("Bækkensmerter kan", "Smerter i bækkenet kan"))
        self.commit("plainer words")
        self.markers = root / "markers"
        self.markers.mkdir()

    def git(self, *args: str, where: Path | None = None) -> str:
        """Run git for the test's own set-up, before any attack is in place."""
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                   "-c", "commit.gpgSign=false", "-C", str(where or self.root), *args]  # fmt: skip
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def commit(self, message: str) -> None:
        self.git("add", ".")
        self.git("commit", "-qm", message)

    def config(self, key: str, value: str, file: Path | None = None) -> None:
        """Set a value in the repository's config (or another config file), as a user could."""
        self.git("config", "--file", str(file or self.root / ".git" / "config"), key, value)

    def evil(self, name: str) -> str:
        """A program that leaves the marker `name` when anything runs it."""
        script = self.root.parent / f"evil-{name}"
        script.write_text(f"#!/bin/sh\ntouch '{self.markers / name}'\ncat >/dev/null\n")
        script.chmod(0o755)
        return str(script)

    def sign_head(self, signature: bytes) -> None:
        """Give the newest commit a signature, so that showing it asks a program to verify."""
        with Repo(str(self.root)) as repo:
            commit = repo[repo.head()]
            assert isinstance(commit, Commit)
            commit.gpgsig = signature
            repo.object_store.add_object(commit)
            repo.refs[b"HEAD"] = commit.id

    def lose_translated_version(self) -> None:
        """Remove the source as translated, as a partial clone leaves it on its server."""
        loose = self.root / ".git" / "objects" / self.translated[:2] / self.translated[2:]
        loose.chmod(stat.S_IWUSR | stat.S_IRUSR)
        loose.unlink()


def gpg(site: Site) -> None:
    site.config("log.showSignature", "true")
    site.config("gpg.program", site.evil("gpg"))
    site.sign_head(PGP_SIGNATURE)


def gpg_ssh(site: Site) -> None:
    allowed = site.root.parent / "allowed-signers"
    allowed.write_text("t@example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n")
    site.config("log.showSignature", "true")
    site.config("gpg.format", "ssh")
    site.config("gpg.ssh.program", site.evil("gpg-ssh"))
    site.config("gpg.ssh.allowedSignersFile", str(allowed))
    site.sign_head(SSH_SIGNATURE)


def _promisor(site: Site, url: str) -> None:
    site.config("core.repositoryformatversion", "1")
    site.config("extensions.partialClone", "origin")
    site.config("remote.origin.url", url)
    site.config("remote.origin.promisor", "true")
    site.config("remote.origin.partialCloneFilter", "blob:none")
    site.lose_translated_version()


def promisor_ssh_command(site: Site) -> None:
    site.config("core.sshCommand", site.evil("ssh-command"))
    _promisor(site, "ssh://git.example.invalid/site.git")


def promisor_upload_pack(site: Site) -> None:
    site.config("remote.origin.uploadpack", site.evil("upload-pack"))
    _promisor(site, str(site.root.parent / "elsewhere"))


def fsmonitor(site: Site) -> None:
    site.config("core.fsmonitor", site.evil("fsmonitor"))


def pager(site: Site) -> None:
    site.config("core.pager", site.evil("pager"))
    site.config("pager.log", site.evil("pager-log"))


def hooks(site: Site) -> None:
    folder = site.root.parent / "hooks"
    folder.mkdir()
    for name in HOOKS:
        evil = Path(site.evil(f"hook-{name}"))
        evil.rename(folder / name)
        (site.root / ".git" / "hooks" / name).symlink_to(folder / name)
    site.config("core.hooksPath", str(folder))


def diff_external(site: Site) -> None:
    site.config("diff.external", site.evil("diff-external"))


def _attributes(site: Site, line: str) -> None:
    (site.root / ".git" / "info").mkdir(exist_ok=True)
    (site.root / ".git" / "info" / "attributes").write_text(line)
    (site.articles / ".gitattributes").write_text(line)


def filters(site: Site) -> None:
    for kind in ("clean", "smudge", "process"):
        site.config(f"filter.evil.{kind}", site.evil(f"filter-{kind}"))
    site.config("filter.evil.required", "true")
    _attributes(site, "* filter=evil\n")


def textconv(site: Site) -> None:
    site.config("diff.evil.textconv", site.evil("textconv"))
    site.config("diff.evil.command", site.evil("diff-command"))
    _attributes(site, "* diff=evil\n")


def include_path(site: Site) -> None:
    included = site.root.parent / "evil.gitconfig"
    site.config("log.showSignature", "true", included)
    site.config("gpg.program", site.evil("included-gpg"), included)
    site.config("core.fsmonitor", site.evil("included-fsmonitor"), included)
    site.config("include.path", str(included))
    site.sign_head(PGP_SIGNATURE)


def ask_pass(site: Site) -> None:
    site.config("core.askPass", site.evil("ask-pass"))


def credential_helper(site: Site) -> None:
    site.config("credential.helper", site.evil("credential-helper"))


ATTACKS = (gpg, gpg_ssh, promisor_ssh_command, promisor_upload_pack, fsmonitor, pager, hooks,
           diff_external, filters, textconv, include_path, ask_pass, credential_helper)  # fmt: skip


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.__name__)
def test_a_repository_config_runs_no_program(
    attack: Callable[[Site], None], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    site = Site(tmp_path)
    attack(site)
    # Without the version as translated, the lines changed cannot be told: only the file's date.
    known_from = "file date" if attack.__name__.startswith("promisor") else "git"

    listed = cli("translations", "list", "--format", "json", site.articles)
    english = json.loads(listed.out)[0]["translations"][1]
    assert (english["language"], english["state"]) == ("en", "stale")
    assert english["changed_known_from"] == known_from
    assert english["lines_changed"] == (1 if known_from == "git" else None)

    checked = cli("check", site.articles)
    stale = [line for line in checked.out.splitlines() if "[translation-stale]" in line]
    assert len(stale) == len(LANGUAGES)
    assert all(("1 line differs" in line) == (known_from == "git") for line in stale)

    built = cli("build", site.articles / "baekkensmerter.en.md", "-o", tmp_path / "en.pdf")
    assert built.code == 0
    assert any("translation-stale" in warning for warning in built.warnings)
    assert (tmp_path / "en.pdf").read_bytes().startswith(b"%PDF-")

    assert sorted(path.name for path in site.markers.iterdir()) == []


def test_the_repository_is_found_above_the_content_folder_and_each_version_read(
    tmp_path: Path,
) -> None:
    site = Site(tmp_path)
    versions = file_versions(site.source, 100)
    assert [version.data is not None for version in versions] == [True, True]
    newest, translated = versions
    assert newest.data == site.source.read_bytes()
    assert translated.data is not None and b"B\xc3\xa6kkensmerter kan" in translated.data
    assert file_versions(site.source, 1) == [newest]


def test_a_merge_shows_the_versions_git_log_shows(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.git("checkout", "-qb", "side")
    site.source.write_text(site.source.read_text() + "\nFra siden.\n")
    site.commit("side")
    site.git("checkout", "-q", "-")
    (site.articles / "other.md").write_text("---\ntitle: Andet\n---\n\nAndet.\n")
    site.commit("elsewhere")
    site.git("merge", "-q", "--no-edit", "side")
    logged = site.git("log", "--format=%cs", "--", str(site.source))
    versions = file_versions(site.source, 100)
    assert [version.day.isoformat() for version in versions] == logged.splitlines()
    assert len(versions) == 3
    assert versions[0].data == site.source.read_bytes()


def _broken_head(git: Path) -> None:
    (git / "HEAD").write_text("ref: refs/heads/nowhere\n")


def _garbage_object(git: Path) -> None:
    for folder in (git / "objects").iterdir():
        for loose in folder.iterdir() if len(folder.name) == 2 else ():
            loose.chmod(0o644)
            loose.write_bytes(b"not zlib at all")


def _no_objects(git: Path) -> None:
    for folder in (git / "objects").iterdir():
        if len(folder.name) == 2:
            for loose in folder.iterdir():
                loose.chmod(0o644)
                loose.unlink()


def _unknown_extension(git: Path) -> None:
    (git / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tnoSuchThing = true\n"
    )


def _format_version_two(git: Path) -> None:
    (git / "config").write_text("[core]\n\trepositoryformatversion = 2\n")


def _config_not_ini(git: Path) -> None:
    (git / "config").write_bytes(b"[core\n\x00\xff\xfe ===\n")


def _gitfile_to_nowhere(git: Path) -> None:
    moved = git.parent.parent / "moved.git"
    git.rename(moved)
    (git.parent / ".git").write_text(f"gitdir: {moved.parent / 'missing'}\n")


def _head_is_a_blob(git: Path) -> None:
    # A blob, never the commit or a tree: with a commit, HEAD would be well after all.
    blob = next(
        loose for folder in (git / "objects").iterdir() if len(folder.name) == 2
        for loose in folder.iterdir() if zlib.decompress(loose.read_bytes()).startswith(b"blob ")
    )  # fmt: skip
    (git / "HEAD").write_text(blob.parent.name + blob.name + "\n")


DAMAGE = (_broken_head, _garbage_object, _no_objects, _unknown_extension, _format_version_two,
          _config_not_ini, _gitfile_to_nowhere, _head_is_a_blob)  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda damage: damage.__name__.strip("_"))
def test_a_damaged_repository_gives_the_file_date_without_a_traceback(
    damage: Callable[[Path], None], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    site = Site(tmp_path)
    damage(site.root / ".git")
    assert file_versions(site.source, 100) == []
    listed = cli("translations", "list", "--format", "json", site.articles)
    assert listed.code == 0
    assert "Traceback" not in listed.err
    english = json.loads(listed.out)[0]["translations"][1]
    assert (english["state"], english["changed_known_from"]) == ("stale", "file date")
