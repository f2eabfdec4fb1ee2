"""The example leaflet's HTML against its golden file.

After an intended change to templates or rendering, regenerate with `make golden`
(UPDATE_GOLDEN=1 pytest tests/html/test_golden.py) and review the diff.
"""

from __future__ import annotations

import os

from leaflets.article.model import load_article
from leaflets.builder.job import asset_roots
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.html.render import render_html

from ..conftest import EXAMPLE
from ..paths import TESTS

GOLDEN = TESTS / "golden" / "baekkensmerter.html"


def test_example_html_matches_the_golden_file() -> None:
    profile = Profile()
    html = render_html(
        load_article(EXAMPLE), profile, BuildOptions(), asset_roots(EXAMPLE, profile)
    )
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8"), "run `make golden` after an intended change"


GOLDEN_CLINIC = TESTS / "golden" / "baekkensmerter-clinic.html"


def test_example_html_with_the_shipped_clinic_matches_its_golden_file() -> None:
    from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT
    from leaflets.config.profile import load_profile

    profile = load_profile(CLINIC_FILE)
    html = render_html(
        load_article(EXAMPLE), profile, BuildOptions(), asset_roots(EXAMPLE, profile)
    )
    # The logo is linked by absolute path; the golden file must not depend on the checkout.
    html = html.replace(PROJECT_ROOT.as_uri(), "file:///PROJECT")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_CLINIC.write_text(html, encoding="utf-8")
    assert html == GOLDEN_CLINIC.read_text(encoding="utf-8"), "run `make golden`"
