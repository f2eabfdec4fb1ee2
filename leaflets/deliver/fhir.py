"""A FHIR R4 record of a hand-out: a Bundle of the leaflet's DocumentReference and a Communication.

It follows how the Danish eHealth infrastructure models material for citizens: the leaflet is
a DocumentReference of type 'material', and handing it to a patient is a Communication of
category 'material-assignment' with the DocumentReference as its payload. The Bundle is made
of plain dicts, ready for `json.dumps`; it never holds the note's text, and the patient only as
the identifier the therapist gives for this one record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from leaflets.article.codes import code_from_key
from leaflets.builder.output import write_atomically
from leaflets.config.errors import LeafletError
from leaflets.config.labels import labels_for
from leaflets.deliver.record import EMAILED, LARGE_PRINT, PREPARED, PRINTED, Handout

MATERIAL_TYPE = "http://ehealth.sundhed.dk/cs/ehealth-document-reference-type"
MATERIAL_CATEGORY = "http://ehealth.sundhed.dk/cs/material-communication-category"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
# R4's DocumentReference has no version; R5's has, and this is its R4 form.
VERSION_EXTENSION = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-DocumentReference.version"
)
# The tool's own identifiers: a leaflet's reference, its text's SHA-256, its edition.
REFERENCE_SYSTEM = "urn:leaflets:reference"
CONTENT_HASH_SYSTEM = "urn:leaflets:content-sha256"
EDITION_SYSTEM = "urn:leaflets:edition"

MEDIUM = {
    PRINTED: ("WRITTEN", "written"),
    EMAILED: ("EMAILWRIT", "email"),
    PREPARED: ("EMAILWRIT", "email"),
}
MAX_PATIENT_REF = 200
_REFERENCE = re.compile(r"Patient/[A-Za-z0-9\-.]{1,64}")
_VISIBLE = re.compile(r"[^\x00-\x20\x7f-\x9f]+")


def handout_bundle(
    handouts: Sequence[Handout], language: str, patient_ref: str | None = None
) -> dict[str, Any]:
    """The Bundle recording each hand-out; `language` is the clinic's, for the note's words."""
    subject = patient_subject(patient_ref) if patient_ref else None
    entries: list[dict[str, Any]] = []
    for handed in handouts:
        document_url, communication_url = f"urn:uuid:{uuid.uuid4()}", f"urn:uuid:{uuid.uuid4()}"
        entries.append({"fullUrl": document_url, "resource": document_reference(handed, subject)})
        entries.append(
            {
                "fullUrl": communication_url,
                "resource": communication(handed, document_url, subject, language),
            }
        )
    stamp = handouts[-1].when if handouts else dt.datetime.now().astimezone()
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp.isoformat(timespec="seconds"),
        "entry": entries,
    }


def document_reference(handed: Handout, subject: dict[str, Any] | None) -> dict[str, Any]:
    """The leaflet as it was handed out: its text, its edition, the PDF's size and hash."""
    info = handed.info
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "masterIdentifier": {"system": CONTENT_HASH_SYSTEM, "value": info.content_hash},
        "identifier": [
            {"use": "official", "system": REFERENCE_SYSTEM, "value": _reference(handed)}
        ],
        "status": "current",
        "docStatus": "final",
        "type": {
            "coding": [{"system": MATERIAL_TYPE, "code": "material", "display": "Material"}],
            "text": info.title,
        },
        "date": _instant(handed),
        "description": info.title,
        "content": [{"attachment": _attachment(handed), "format": _edition(handed)}],
    }
    if info.version:
        resource["extension"] = [{"url": VERSION_EXTENSION, "valueString": info.version}]
    if info.codes:
        # The diagnoses the leaflet is written for, to find it by; not the patient's.
        codings = [code_from_key(key).coding for key in info.codes]
        resource["category"] = [{"coding": [coding]} for coding in codings]
    if subject is not None:
        resource["subject"] = subject
    return resource


def _attachment(handed: Handout) -> dict[str, Any]:
    info = handed.info
    attachment: dict[str, Any] = {
        "contentType": "application/pdf",
        "language": info.language,
        "size": handed.size,
        "hash": handed.sha1,
        "title": info.title,
    }
    if info.online:
        attachment["url"] = info.online
    newest = max((day for day in (info.published, info.updated) if day), default=None)
    if newest is not None:
        attachment["creation"] = newest.isoformat()
    return attachment


def _edition(handed: Handout) -> dict[str, str]:
    display = "large print" if handed.edition == LARGE_PRINT else "standard"
    return {"system": EDITION_SYSTEM, "code": handed.edition, "display": display}


def communication(
    handed: Handout, document_url: str, subject: dict[str, Any] | None, language: str
) -> dict[str, Any]:
    """The hand-out itself: material assigned, by print or email, with or without a note."""
    code, display = MEDIUM[handed.action]
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "preparation" if handed.action == PREPARED else "completed",
        "category": [
            {
                "coding": [
                    {
                        "system": MATERIAL_CATEGORY,
                        "code": "material-assignment",
                        "display": "Material assignment",
                    }
                ]
            }
        ],
        "medium": [{"coding": [{"system": PARTICIPATION_MODE, "code": code, "display": display}]}],
        "payload": [{"contentReference": {"reference": document_url}}],
    }
    if handed.action != PREPARED:
        resource["sent"] = _instant(handed)
    if subject is not None:
        resource["subject"] = subject
        resource["recipient"] = [subject]
    if handed.personal:
        resource["note"] = [{"text": labels_for(language)["record"]["personal_note"]}]
    return resource


def patient_subject(given: str) -> dict[str, Any]:
    """The patient as a reference: 'Patient/123', 'SYSTEM|VALUE' or a plain identifier."""
    text = given.strip()
    if not text or len(text) > MAX_PATIENT_REF or _VISIBLE.fullmatch(text) is None:
        raise LeafletError(
            None,
            f"--patient-ref must be 'Patient/ID', 'SYSTEM|VALUE' or an identifier:"
            f" at most {MAX_PATIENT_REF} visible characters, no spaces",
        )
    if _REFERENCE.fullmatch(text):
        return {"reference": text}
    system, bar, value = text.rpartition("|")
    if bar and system and value:
        return {"identifier": {"system": system, "value": value}}
    return {"identifier": {"value": text}}


def write_bundle(path: Path, bundle: dict[str, Any]) -> Path:
    """Write the Bundle as JSON, readable by its owner only: it may name the patient."""
    data = json.dumps(bundle, ensure_ascii=False, indent=2).encode() + b"\n"
    return write_atomically(path, data, mode=0o600)


def _reference(handed: Handout) -> str:
    return handed.info.reference or handed.info.slug


def _instant(handed: Handout) -> str:
    return handed.when.isoformat(timespec="seconds")
