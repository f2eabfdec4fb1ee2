"""The FHIR record of a hand-out at the desk, given once on the result page and kept nowhere."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

from leaflets.api import Handout, handout_bundle


def fhir_download(handed: Sequence[Handout], language: str) -> str:
    """The hand-out's FHIR Bundle (a leaflet, or every leaflet given together) as a data: URL:
    the page holds it, the desk keeps no copy."""
    bundle = handout_bundle(list(handed), language)
    data = json.dumps(bundle, ensure_ascii=False, indent=2).encode()
    return "data:application/fhir+json;base64," + base64.b64encode(data).decode("ascii")
