"""The 'also available' line: large print and the languages the article is written in."""

from collections.abc import Callable
from pathlib import Path

import pdfplumber

from ..conftest import Run

BODY = "\n## Om smerterne\n\nSmerterne går ofte over af sig selv.\n"


def write_articles(folder: Path) -> Path:
    source = folder / "knae.md"
    source.write_text(f"---\ntitle: Ondt i knæet\n---\n{BODY}", encoding="utf-8")
    for language, title in (("en", "Knee pain"), ("pl", "Ból kolana"), ("ar", "ألم الركبة")):
        text = f"---\ntitle: {title}\nlang: {language}\n---\n{BODY}"
        (folder / f"knae.{language}.md").write_text(text, encoding="utf-8")
    return source


def printed(cli: Callable[..., Run], source: Path, *options: str) -> str:
    target = source.parent / "out" / f"{source.stem}{'-'.join(options)}.pdf"
    run = cli("build", source, "-o", target, *options)
    assert run.code == 0, run.err
    with pdfplumber.open(target) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_the_source_names_large_print_and_its_translations(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    source = write_articles(tmp_path)
    assert "Fås også med stor skrift og på arabisk, engelsk og polsk" in printed(cli, source)


def test_large_print_names_only_the_languages(cli: Callable[..., Run], tmp_path: Path) -> None:
    source = write_articles(tmp_path)
    text = printed(cli, source, "--large-print")
    assert "Fås også på arabisk, engelsk og polsk" in text
    assert "stor skrift" not in text


def test_a_translation_names_the_source_language_and_the_others(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    write_articles(tmp_path)
    text = printed(cli, tmp_path / "knae.en.md")
    assert "Also available in large print and in Arabic, Danish, and Polish" in text


def test_an_article_alone_offers_large_print(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    source = article(f"---\ntitle: Ondt i knæet\n---\n{BODY}", "alene.md")
    assert "Fås også med stor skrift" in printed(cli, source)
    assert "Fås også på" not in printed(cli, source, "--large-print")


def test_a_new_translation_rebuilds_its_source_with_the_line(cli, tmp_path) -> None:
    import shutil

    from ..conftest import EXAMPLE
    from ..paths import TESTS

    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles)
    assert cli("build", articles, "-o", out).code == 0
    shutil.copy(TESTS / "fixtures" / "translations" / "baekkensmerter.en.md", articles)
    run = cli("build", articles, "-o", out)
    assert f"built {out / 'baekkensmerter.pdf'}" in run.out
