"""A fixed article appears on the desk without a restart: the start page's look for added
articles also sees a failed one that changed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from leaflets.config.profile import Profile
from leaflets.desk.catalogue import Catalogue

from ..conftest import EXAMPLE

BROKEN = "---\ntitle: [Ankel\n---\nOm anklen.\n"  # the front matter is not YAML
FIXED = "---\ntitle: Ankel\n---\nOm anklen.\n"


def _listed(catalogue: Catalogue) -> list[str]:
    return sorted(record.slug for record in catalogue.records())


def test_a_fixed_article_is_listed_after_the_next_look(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(EXAMPLE, content / EXAMPLE.name)
    broken = content / "ankel.md"
    broken.write_text(BROKEN, encoding="utf-8")
    catalogue = Catalogue(content, tmp_path / "out", Profile())
    try:
        problems = catalogue.refresh()
        assert [problem.source for problem in problems] == [str(broken)]
        assert _listed(catalogue) == ["baekkensmerter"]
        broken.write_text(FIXED, encoding="utf-8")
        catalogue.refresh_when_added()  # what each load of the start page does
        deadline = time.monotonic() + 60
        while _listed(catalogue) != ["ankel", "baekkensmerter"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _listed(catalogue) == ["ankel", "baekkensmerter"]
        assert catalogue.problems == []
    finally:
        catalogue.close()
