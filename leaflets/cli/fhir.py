"""`--fhir FILE` and `--patient-ref ID`: a FHIR record of what `print` or `email` handed out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import stacked

if TYPE_CHECKING:
    from leaflets.api import Handout, Profile

fhir_options = stacked(
    click.option(
        "--fhir",
        "fhir_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write a FHIR R4 Bundle (DocumentReference + Communication) of the hand-out to FILE.",
    ),
    click.option(
        "--patient-ref",
        default=None,
        metavar="ID",
        help="The patient in the FHIR record: 'Patient/ID', 'SYSTEM|VALUE' or an identifier.",
    ),
)


def checked_fhir(params: dict[str, Any]) -> None:
    """Refuse a patient identifier that cannot go in a record before anything is handed out."""
    if params["patient_ref"] and params["fhir_file"] is None:
        raise click.UsageError("--patient-ref goes with --fhir FILE")
    if params["patient_ref"]:
        from leaflets.api import patient_subject

        patient_subject(params["patient_ref"])


def give_fhir(handouts: list[Handout], params: dict[str, Any], profile: Profile) -> None:
    """Write the FHIR record of the hand-outs, when --fhir asks for one."""
    target = params["fhir_file"]
    if target is None or not handouts:
        return
    from leaflets.api import handout_bundle, write_bundle

    bundle = handout_bundle(handouts, profile.leaflets.language, params["patient_ref"])
    click.echo(f"FHIR record written to {write_bundle(target, bundle)}")
