"""The leaflet's identity: review date, reference, online address, contact box, QR code, themes."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leaflets.article.model import load_article
from leaflets.builder.job import asset_roots
from leaflets.config.defaults import CONTENT_DIR, PROJECT_ROOT
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions
from leaflets.config.profile import LeafletSettings, Profile, load_profile
from leaflets.html.identity import check_review, online_address, reference, review_date
from leaflets.html.render import render_html

from ..conftest import example_as_published

# The example as the website has it: these tests are about the dates it came with.
EXAMPLE = example_as_published()

PROFILE = """
[clinic]
name = "Fysio Nord"
address = "Nørregade 1, 9000 Aalborg"
phone = "+45 98 76 54 32"
email = "info@fysionord.dk"
website = "https://fysionord.dk/"
opening_hours = "Man–fre 8–16"
logo = "logo.svg"

[leaflets]
review_months = 24
base_url = "https://fysionord.dk/artikler/"
id_prefix = "FN"

[style]
primary_color = "#7a1f3d"
"""

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<rect width="10" height="10" fill="#7a1f3d"/></svg>'
)

ENGLISH = """---
title: Knee pain
lang: en
id: 7
version: 2.1
datePublished: 2025-03-31
---

Knee pain is common and usually gets better.

## What helps

Keep moving, a little more each day.
"""


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return " ".join("\n".join(pages).replace("-\n", "").split())


def clinic_profile(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    path = folder / "clinic.toml"
    path.write_text(PROFILE + extra, encoding="utf-8")
    return path


def with_front_matter(extra: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    return text.replace("---\n", f"---\n{extra}", 1)


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example article with an id and version, built with a full clinic profile."""
    folder = tmp_path_factory.mktemp("branded")
    profile = clinic_profile(folder / "profile")
    source = folder / "baekkensmerter.md"
    source.write_text(with_front_matter("id: 12\nversion: 3\n"), encoding="utf-8")
    target = folder / "leaflet.pdf"
    from leaflets.cli.main import main

    assert main(["build", str(source), "-o", str(target), "--clinic", str(profile)]) == 0
    return target, profile


# Review dates


def test_the_example_is_next_reviewed_on_19_february_2027() -> None:
    profile = Profile(leaflets=LeafletSettings(review_months=24))
    assert review_date(load_article(EXAMPLE), profile) == dt.date(2027, 2, 19)


def test_the_review_counts_from_the_newest_date(article: Callable[..., Path]) -> None:
    path = article("---\ntitle: T\ndatePublished: 2024-01-31\nlastUpdated: 2025-01-31\n---\nx\n")
    profile = Profile(leaflets=LeafletSettings(review_months=1))
    assert review_date(load_article(path), profile) == dt.date(2025, 2, 28)


def test_an_article_without_dates_has_no_review_date(article: Callable[..., Path]) -> None:
    assert review_date(load_article(article("---\ntitle: T\n---\nx\n")), Profile()) is None


def test_a_passed_review_date_warns_and_strict_refuses() -> None:
    article = load_article(EXAMPLE)
    profile = Profile(leaflets=LeafletSettings(review_months=24))
    with collect_warnings() as found:
        check_review(article, profile, BuildOptions(), today=dt.date(2027, 2, 19))
        assert found == []
        check_review(article, profile, BuildOptions(), today=dt.date(2027, 2, 20))
    assert found == [f"{EXAMPLE}: the review date 2027-02-19 has passed; review the article "
                     "and set 'lastUpdated'"]  # fmt: skip
    with pytest.raises(LeafletError, match="2027-02-19 has passed"):
        check_review(article, profile, BuildOptions(strict=True), today=dt.date(2027, 2, 20))


def test_an_overdue_leaflet_builds_with_a_warning_and_fails_with_strict(
    cli, article: Callable[..., Path], tmp_path: Path
) -> None:
    path = article("---\ntitle: Old\ndatePublished: 2019-05-01\n---\nText.\n")
    target = tmp_path / "old.pdf"
    run = cli("build", path, "-o", target)
    assert run.code == 0
    assert any("the review date 2021-05-01 has passed" in line for line in run.warnings)
    target.unlink()
    run = cli("build", path, "-o", target, "--strict")
    assert run.code == 1
    assert run.errors == [
        f"error: {path}: the review date 2021-05-01 has passed; review the article "
        "and set 'lastUpdated' (--strict)"
    ]
    assert not target.exists()


def test_strict_fails_on_an_overdue_leaflet_that_is_up_to_date(
    cli, article: Callable[..., Path], tmp_path: Path
) -> None:
    path = article("---\ntitle: Old\ndatePublished: 2019-05-01\n---\nText.\n")
    target = tmp_path / "old.pdf"
    assert cli("build", path, "-o", target).code == 0
    built = target.read_bytes()
    run = cli("build", path, "-o", target, "--strict")
    assert run.code == 1
    assert run.errors == [
        f"error: {path}: the review date 2021-05-01 has passed; review the article "
        "and set 'lastUpdated' (--strict)"
    ]
    assert target.read_bytes() == built  # nothing rebuilt: the command fails, the PDF stays


# Reference and online address


def test_reference_from_prefix_and_id(article: Callable[..., Path]) -> None:
    profile = Profile(leaflets=LeafletSettings(id_prefix="FYS"))
    assert reference(load_article(article("---\ntitle: T\nid: 12\n---\nx\n")), profile) == "FYS-012"
    assert reference(load_article(article("---\ntitle: T\nid: B7\n---\nx\n")), profile) == "FYS-B7"
    assert reference(load_article(article("---\ntitle: T\n---\nx\n")), profile) == ""


def test_the_online_address_is_base_url_and_slug_or_the_articles_own(
    article: Callable[..., Path],
) -> None:
    profile = Profile(leaflets=LeafletSettings(base_url="https://x.dk/artikler"))
    plain = load_article(article("---\ntitle: T\n---\nx\n", "knae.md"))
    assert online_address(plain, profile) == "https://x.dk/artikler/knae"
    slugged = load_article(article("---\ntitle: T\nslug: knee\n---\nx\n", "k.md"))
    assert online_address(slugged, profile) == "https://x.dk/artikler/knee"
    own = load_article(article("---\ntitle: T\nurl: https://y.dk/a?b=1\n---\nx\n"))
    assert online_address(own, profile) == "https://y.dk/a?b=1"
    assert online_address(plain, Profile()) == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "y.dk/a", "ftp://y"])
def test_an_article_url_that_is_not_http_is_left_out(
    cli, article: Callable[..., Path], url: str
) -> None:
    path = article(f"---\ntitle: T\nurl: '{url}'\n---\nx\n")
    run = cli("build", path, "-o", path.with_suffix(".pdf"), "--clinic", _clinic_without_base(path))
    assert run.code == 0, run.err
    assert any(line.startswith(f"warning: {path}: 'url' left out: ") for line in run.warnings)
    assert url not in pdf_text(path.with_suffix(".pdf"))


def _clinic_without_base(path: Path) -> Path:
    clinic = path.with_name("clinic.toml")
    clinic.write_text('[clinic]\nname = "K"\n', encoding="utf-8")
    return clinic


# The leaflet itself


def test_every_profile_field_is_printed(branded: tuple[Path, Path]) -> None:
    target, profile_path = branded
    text = pdf_text(target)
    clinic = load_profile(profile_path).clinic
    for value in (clinic.name, clinic.address, clinic.phone, clinic.email, clinic.opening_hours):
        assert value in text
    assert "fysionord.dk" in text
    assert "Kontakt os" in text
    assert "Næste revision: 19. februar 2027" in text
    # The address may wrap after a slash under the QR code.
    assert re.search(r"fysionord\.dk/artikler/\s?baekkensmerter", text)


def test_the_reference_and_version_are_in_every_footer(branded: tuple[Path, Path]) -> None:
    with pdfplumber.open(branded[0]) as pdf:
        for page in pdf.pages:
            footer = page.crop((0, page.height - 60, page.width, page.height)).extract_text()
            assert "Ref. FN-012 · version 3" in footer


def test_the_logo_is_drawn_in_the_title_band(branded: tuple[Path, Path]) -> None:
    with pdfplumber.open(branded[0]) as pdf:
        first = pdf.pages[0]
        logo_fill = (0.478, 0.122, 0.239)  # #7a1f3d, the logo's and the band's colour
        shapes = [r for r in first.rects if _close(r.get("non_stroking_color"), logo_fill)]
    # The band itself, and the logo: a small square near the top left.
    assert any(r["width"] < 60 and abs(r["width"] - r["height"]) < 1 for r in shapes), shapes


def _close(colour: object, expected: tuple[float, ...]) -> bool:
    return (
        isinstance(colour, (tuple, list))
        and len(colour) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(colour, expected, strict=True))
    )


def test_the_qr_code_reads_back_as_the_online_address(
    branded: tuple[Path, Path], tmp_path: Path
) -> None:
    with pdfplumber.open(branded[0]) as pdf:
        last = len(pdf.pages)
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(last), "-l", str(last), branded[0], prefix],
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["https://fysionord.dk/artikler/baekkensmerter"]


def test_the_pdf_records_reference_version_and_content_hash(branded: tuple[Path, Path]) -> None:
    target, _ = branded
    source = target.parent / "baekkensmerter.md"
    with pikepdf.open(target) as pdf:
        info = {str(key): str(value) for key, value in pdf.docinfo.items()}
    assert info["/leafletreference"] == "FN-012"
    assert info["/leafletversion"] == "3"
    assert info["/leafletcontenthash"] == f"sha256:{load_article(source).source_hash}"
    assert info["/leafletnextreview"] == "2027-02-19"
    assert info["/Author"] == "Fysio Nord"


def test_the_primary_colour_reaches_the_title_band(branded: tuple[Path, Path]) -> None:
    with pdfplumber.open(branded[0]) as pdf:
        rects = pdf.pages[0].rects
    assert any(_close(r.get("non_stroking_color"), (0.478, 0.122, 0.239)) for r in rects)


def test_an_english_article_has_english_labels_only(
    cli, article: Callable[..., Path], tmp_path: Path
) -> None:
    source = article(ENGLISH, "knee-pain.md")
    target = tmp_path / "knee.pdf"
    run = cli("build", source, "-o", target, "--clinic", clinic_profile(tmp_path / "profile"))
    assert run.code == 0, run.err
    text = pdf_text(target)
    for phrase in (
        "Contact us",
        "Phone",
        "Opening hours",
        "Read this article online",
        "Next review: 31 March 2027",
        "Published 31 March 2025",
        "Page 1 of 1",
        "Ref. FN-007 · version 2.1",
        "PATIENT INFORMATION FROM",  # set in capitals by the stylesheet
    ):
        assert phrase in text
    danish, english = labels_for("da"), labels_for("en")
    for key, value in danish.items():
        if isinstance(value, str) and value != english[key] and key != "language_name":
            assert value.split("{")[0].strip().lower() not in text.lower(), key


def test_the_neutral_profile_shows_no_clinic() -> None:
    profile = Profile()
    html = render_html(
        load_article(EXAMPLE), profile, BuildOptions(), asset_roots(EXAMPLE, profile)
    )
    assert "Kontakt os" not in html
    assert "<svg" not in html
    assert "Næste revision: 19. februar 2028" in html


# Themes


def test_a_theme_overrides_templates_and_styles_file_by_file(cli, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates" / "partials").mkdir(parents=True)
    (theme / "styles").mkdir()
    (theme / "templates" / "partials" / "faq.html.j2").write_text(
        '<section class="faq"><h2>Spørg os i receptionen</h2></section>\n', encoding="utf-8"
    )
    (theme / "styles" / "theme.css").write_text(".band { background: #00ff00; }\n")
    profile = clinic_profile(tmp_path / "themed", f'theme = "{theme}"\n')
    plain, themed = tmp_path / "plain.pdf", tmp_path / "themed.pdf"
    assert (
        cli("build", EXAMPLE, "-o", plain, "--clinic", clinic_profile(tmp_path / "plain")).code == 0
    )
    assert cli("build", EXAMPLE, "-o", themed, "--clinic", profile).code == 0
    assert "Spørg os i receptionen" in pdf_text(themed)
    assert "Spørg os i receptionen" not in pdf_text(plain)
    assert "Kontakt os" in pdf_text(themed)  # what the theme leaves alone is ours
    with pdfplumber.open(themed) as pdf:
        assert any(_close(r.get("non_stroking_color"), (0, 1, 0)) for r in pdf.pages[0].rects)


def test_the_high_contrast_theme_sets_larger_black_text(cli, tmp_path: Path) -> None:
    theme = PROJECT_ROOT / "themes" / "high-contrast"
    profile = clinic_profile(tmp_path / "profile", f'theme = "{theme}"\n')
    target = tmp_path / "contrast.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--clinic", profile).code == 0
    with pdfplumber.open(target) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
        band = [r for r in pdf.pages[0].rects if r["width"] > 500]
    sizes = sorted(c["size"] for c in chars)
    assert sizes[len(sizes) // 2] >= 13.99
    assert band and all(_close(r["non_stroking_color"], (0, 0, 0)) for r in band)


# Site images


@pytest.mark.corpus
def test_site_images_are_scaled_so_migraene_emails_well(cli, corpus: Path, tmp_path: Path) -> None:
    site = corpus / "davidbograd+fysfinder-next"
    profile = tmp_path / "clinic.toml"
    profile.write_text(
        f'[clinic]\nname = "Fysio Nord"\n[leaflets]\nsite_root = "{site / "public"}"\n',
        encoding="utf-8",
    )
    target = tmp_path / "migraene.pdf"
    run = cli("build", site / "migraene.md", "-o", target, "--clinic", profile)
    assert run.code == 0, run.err
    assert not [line for line in run.warnings if "image" in line]
    with pikepdf.open(target) as pdf:
        images = {
            str(name)
            for page in pdf.pages
            for name, xobject in page.Resources.get("/XObject", {}).items()
            if xobject.get("/Subtype") == "/Image"
        }
    assert len(images) >= 4
    assert target.stat().st_size <= 400 * 1024


def test_the_shipped_logo_is_in_the_content_assets() -> None:
    assert (CONTENT_DIR / "assets" / "logo.svg").is_file()
    assert shutil.which("zbarimg"), "zbar-tools is missing (see .ci/system-deps.sh test)"
