"""The `translations` command: each article's translations and their state; marking one checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaflets.cli.params import clinic_option, format_option
from leaflets.config.defaults import CONTENT_DIR, shown

if TYPE_CHECKING:
    from leaflets.api import ArticleStatus, TranslationStatus

_format_option = format_option("Plain lines")


@click.group(invoke_without_command=True)
@clinic_option
@_format_option
@click.pass_context
def translations(ctx: click.Context, /, clinic: Path, output: str) -> None:
    """Each article's translations: current, stale or without source_hash (default: content/)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_translations, paths=(), clinic=clinic, output=output)
        return
    # Given before the command (`translations --format json list`), they hold for it too.
    given = {"clinic": clinic, "output": output}
    ctx.default_map = {**(ctx.default_map or {}), ctx.invoked_subcommand: given}


@translations.command("list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@clinic_option
@_format_option
def list_translations(paths: tuple[Path, ...], clinic: Path, output: str) -> None:
    """List the articles in PATHS (files or folders) with their translations."""
    from leaflets.api import find_articles, translation_statuses
    from leaflets.config.profile import load_profile

    language = load_profile(clinic).leaflets.language
    files = [article for path in paths or (shown(CONTENT_DIR),) for article in find_articles(path)]
    articles = translation_statuses(files, language)
    if output == "json":
        click.echo(json.dumps([a.as_json() for a in articles], ensure_ascii=False, indent=2))
        return
    for article in articles:
        for line in article_lines(article):
            click.echo(line)


@translations.command("mark")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def mark(files: tuple[Path, ...]) -> None:
    """Record that each translation FILE matches its source as it is now (writes source_hash)."""
    from leaflets.api import mark_translation

    for path in files:
        digest = mark_translation(path)
        click.echo(f"marked {path}: source_hash {digest}")


def article_lines(article: ArticleStatus) -> list[str]:
    """An article's line, then one indented line for each translation."""
    languages = ", ".join(entry.language for entry in article.translations) or "no translations"
    lines = [f"{article.path} ({article.language}): {languages}"]
    for entry in article.translations:
        lines.append(f"  {entry.language}  {entry.path}  {state_text(entry)}")
    return lines


def state_text(entry: TranslationStatus) -> str:
    """'current', 'stale: 3 lines differ, source changed 2025-03-01' or 'no source_hash'."""
    from leaflets.api import lines_differ

    if entry.state == "unmarked":
        return "no source_hash (run `make-leaflet translations mark` once it has been checked)"
    if entry.state != "stale":
        return entry.state
    known = entry.lines_changed is not None
    lines = f"{lines_differ(entry.lines_changed or 0)}, " if known else ""
    when = "source changed" if entry.known_from == "git" else "source file changed"
    return f"stale: {lines}{when} {entry.changed}"
