"""HL7 Infobutton on the desk: a journal system asks for the leaflets of a diagnosis code.

`GET /infobutton` takes the URL-based implementation guide's parameters (the code, its code
system as an OID, the recipient and their language) and answers with an Atom feed, or JSON
with `knowledgeResponseType=application/json`. It is read-only, needs a token made with
`make-leaflet desk-user token NAME`, and is rate-limited per token. Each entry links the
standard and large-print PDFs, which the same token (or a staff login) fetches.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from leaflets.api import BY_OID, LeafletError, code_problem, matches, matching_key, normal_code
from leaflets.config.tokens import load_tokens, tokens_file_beside
from leaflets.desk.guard import RateLimit
from leaflets.desk.records import LeafletRecord
from leaflets.desk.state import Desk
from leaflets.desk.web import current_session, desk_of

ATOM = "http://www.w3.org/2005/Atom"
OWN = "urn:leaflets:infobutton"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REQUESTS_PER_HOUR = 3600
MAX_ENTRIES = 20
MAX_PARAMETER = 200
MAX_QUERY = 4000
EDITIONS = {"standard": "standard", "large-print": "large"}
EDITION_TITLES = {"standard": "standard", "large-print": "large print"}
JSON_TYPE = "application/json"

ET.register_namespace("", ATOM)
ET.register_namespace("lf", OWN)


class BadRequestError(Exception):
    """A request that the guide's parameters do not allow; its text says which."""


@dataclass(frozen=True)
class Asked:
    """What a journal system asks for, checked."""

    code: str
    oid: str
    recipient: str
    language: str
    task: str
    json: bool


@dataclass(frozen=True)
class Found:
    """One leaflet that answers, in the language asked for or, failing that, its own."""

    record: LeafletRecord
    fallback: bool


# Each parameter the answer depends on: what it must look like, and what to say when it does not.
_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "mainSearchCriteria.v.c": (
        re.compile(r".{1,40}"),
        "mainSearchCriteria.v.c (the code) is missing",
    ),
    "mainSearchCriteria.v.cs": (
        re.compile(r"[0-2](?:\.[0-9]{1,20}){1,30}"),
        "mainSearchCriteria.v.cs must be the code system's OID, such as 2.16.840.1.113883.6.139",
    ),
    "informationRecipient": (
        re.compile(r"|PAT|PROV"),
        "informationRecipient must be PAT or PROV",
    ),
    "informationRecipient.languageCode.c": (
        re.compile(r"|[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?"),
        "informationRecipient.languageCode.c must be a language code such as en",
    ),
    "taskContext.c.c": (
        re.compile(r"|[A-Za-z0-9_.-]{1,64}"),
        "taskContext.c.c must be a code such as PATEDUC",
    ),
    "knowledgeResponseType": (
        re.compile(r"|text/xml|application/atom\+xml|application/json"),
        "knowledgeResponseType must be text/xml or application/json",
    ),
}


def asked_of(params: dict[str, str], query_length: int) -> Asked:
    """The request's parameters, checked; a missing or malformed one is a BadRequestError."""
    if query_length > MAX_QUERY:
        raise BadRequestError("the query is too long")
    for name, value in params.items():
        if len(value) > MAX_PARAMETER:
            raise BadRequestError(f"{name} is longer than {MAX_PARAMETER} characters")
    given = {name: params.get(name, "").strip() for name in _RULES}
    given["informationRecipient"] = given["informationRecipient"].upper()
    given["knowledgeResponseType"] = given["knowledgeResponseType"].lower()
    for name, (pattern, problem) in _RULES.items():
        if not pattern.fullmatch(given[name]):
            raise BadRequestError(problem)
    return Asked(
        code=given["mainSearchCriteria.v.c"],
        oid=given["mainSearchCriteria.v.cs"],
        recipient=given["informationRecipient"],
        language=given["informationRecipient.languageCode.c"],
        task=given["taskContext.c.c"],
        json=given["knowledgeResponseType"] == JSON_TYPE,
    )


def answers(records: list[LeafletRecord], asked: Asked) -> list[Found]:
    """The leaflets whose codes match, each in the asked language when it has that translation."""
    system = BY_OID.get(asked.oid)
    code = normal_code(asked.code)
    if system is None or code_problem(system.name, code) is not None:
        return []  # an unknown system or code has no leaflets
    wanted = matching_key(system.name, code)
    groups: dict[str, list[LeafletRecord]] = {}
    for record in records:
        groups.setdefault(record.translation_of or record.slug, []).append(record)
    found = []
    for group in groups.values():
        original = next((r for r in group if not r.translation_of), group[0])
        if any(matches(_key(key), wanted) for key in original.codes):
            found.append(_in_language(original, group, asked.language))
    return found[:MAX_ENTRIES]


def _key(stored: str) -> tuple[str, str]:
    system, _, code = stored.partition(":")
    return matching_key(system, code)


def _in_language(original: LeafletRecord, group: list[LeafletRecord], language: str) -> Found:
    if not language:
        return Found(original, False)
    wanted = _base(language)
    chosen = next((r for r in group if _base(r.language) == wanted), None)
    return Found(chosen, False) if chosen else Found(original, True)


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def pdf_links(base: str, record: LeafletRecord) -> list[dict[str, str]]:
    """The links of an entry: each edition's PDF, and the article online when it is."""
    links = [
        {
            "rel": "alternate",
            "type": "application/pdf",
            "hreflang": record.language,
            "title": EDITION_TITLES[edition],
            "href": f"{base}/infobutton/{record.slug}/{edition}.pdf",
        }
        for edition in EDITIONS
    ]
    if record.url:
        links.append(
            {"rel": "related", "type": "text/html", "hreflang": record.language, "href": record.url}
        )
    return links


def entry_data(base: str, found: Found, asked: Asked) -> dict[str, Any]:
    """One entry, as plain values for both the Atom and the JSON answer."""
    record = found.record
    return {
        "id": f"urn:leaflets:{record.slug}:{record.content_hash}",
        "title": record.title,
        "lang": record.language,
        "updated": _updated(record),
        "link": pdf_links(base, record),
        "reference": record.reference or record.slug,
        "version": record.version,
        "contentHash": f"sha256:{record.content_hash}",
        "codes": record.codes,
        "languageFallback": found.fallback,
        "requestedLanguage": asked.language,
    }


def feed_data(base: str, found: list[Found], asked: Asked, clinic: str) -> dict[str, Any]:
    """The whole answer as plain values."""
    system = BY_OID.get(asked.oid)
    name = system.title if system else asked.oid
    parameters = [
        ("mainSearchCriteria.v.c", asked.code),
        ("mainSearchCriteria.v.cs", asked.oid),
        ("informationRecipient", asked.recipient),
        ("informationRecipient.languageCode.c", asked.language),
        ("taskContext.c.c", asked.task),
    ]
    return {
        "id": f"urn:uuid:{uuid.uuid4()}",
        "title": f"{clinic or 'Patient leaflets'}: {name} {asked.code}",
        "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "author": clinic,
        "category": [{"scheme": key, "term": value} for key, value in parameters if value],
        "entry": [entry_data(base, one, asked) for one in found],
    }


def atom_text(feed: dict[str, Any]) -> bytes:
    """The answer as an Atom feed."""
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", feed["id"])
    _text(root, "title", feed["title"]).set("type", "text")
    _text(root, "updated", feed["updated"])
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed["author"] or "leaflets")
    for category in feed["category"]:
        ET.SubElement(root, f"{{{ATOM}}}category", category)
    for entry in feed["entry"]:
        _atom_entry(root, entry)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _atom_entry(root: ET.Element, entry: dict[str, Any]) -> None:
    element = ET.SubElement(root, f"{{{ATOM}}}entry", {XML_LANG: entry["lang"]})
    _text(element, "id", entry["id"])
    _text(element, "title", entry["title"]).set("type", "text")
    _text(element, "updated", entry["updated"])
    for link in entry["link"]:
        ET.SubElement(element, f"{{{ATOM}}}link", link)
    for code in entry["codes"]:
        ET.SubElement(element, f"{{{ATOM}}}category", {"scheme": "urn:leaflets:code", "term": code})
    for key in ("reference", "version", "contentHash"):
        if entry[key]:
            ET.SubElement(element, f"{{{OWN}}}{key}").text = entry[key]
    language = ET.SubElement(element, f"{{{OWN}}}language")
    language.text = entry["lang"]
    if entry["languageFallback"]:
        language.set("fallback", "true")
        language.set("requested", entry["requestedLanguage"])


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _updated(record: LeafletRecord) -> str:
    day = record.updated or record.published
    return f"{day}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


_limits_lock = threading.Lock()


def _limits(request: Request) -> RateLimit:
    """The app's Infobutton rate limit, made on first use."""
    state = request.app.state
    with _limits_lock:
        if not hasattr(state, "infobutton_rate"):
            state.infobutton_rate = RateLimit(limit=REQUESTS_PER_HOUR)
        limit: RateLimit = state.infobutton_rate
    return limit


def token_holder(desk: Desk, request: Request) -> str | None:
    """The name of the bearer token's holder; None without a valid token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return load_tokens(tokens_file_beside(desk.paths.users)).holder(token.strip())


def _refused(status: int, text: str) -> Response:
    headers = {"www-authenticate": 'Bearer realm="infobutton"'} if status == 401 else {}
    return PlainTextResponse(f"error: {text}\n", status_code=status, headers=headers)


def _admitted(request: Request) -> Response | str:
    """The token's holder, or the response that refuses the request."""
    desk = desk_of(request)
    try:
        holder = token_holder(desk, request)
    except LeafletError:
        return _refused(503, "the tokens file cannot be read")
    if holder is None:
        return _refused(401, "a valid token is needed (Authorization: Bearer TOKEN)")
    limit = _limits(request)
    if not limit.reserve(holder, 1):  # decided and counted under one lock
        return _refused(429, f"more than {limit.limit} requests in an hour")
    return holder


async def infobutton(request: Request) -> Response:
    """The leaflets for a diagnosis code, as an Atom feed or JSON."""
    admitted = _admitted(request)
    if isinstance(admitted, Response):
        return admitted
    try:
        asked = asked_of(dict(request.query_params), len(request.url.query))
    except BadRequestError as problem:
        return _refused(400, str(problem))
    desk = desk_of(request)
    found = answers(desk.catalogue.records(), asked)
    base = str(request.base_url).rstrip("/")
    feed = feed_data(base, found, asked, desk.profile.clinic.name)
    if asked.json:
        body = json.dumps({"feed": feed}, ensure_ascii=False).encode()
        return Response(body, media_type="application/json")
    return Response(atom_text(feed), media_type="application/atom+xml; charset=utf-8")


async def edition_pdf(request: Request) -> Response:
    """An edition's PDF, for a token's holder or logged-in staff; built first when needed."""
    if current_session(request) is None:
        admitted = _admitted(request)
        if isinstance(admitted, Response):
            return admitted
    desk = desk_of(request)
    slug, edition = request.path_params["slug"], request.path_params["edition"]
    if edition not in EDITIONS or desk.catalogue.record(slug) is None:
        return _refused(404, "no such leaflet or edition")
    try:
        path = await run_in_threadpool(desk.catalogue.edition_pdf, slug, EDITIONS[edition])
    except LeafletError as error:
        return _refused(503, f"the leaflet cannot be built now: {error}")
    if not path.is_file():
        return _refused(404, "no such leaflet or edition")
    return FileResponse(path, media_type="application/pdf", content_disposition_type="inline")


ROUTES = [
    Route("/infobutton", infobutton, methods=["GET"]),
    Route("/infobutton/{slug}/{edition}.pdf", edition_pdf, methods=["GET"]),
]
