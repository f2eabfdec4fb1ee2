"""The attack suite's equipment: a canary secret, a canary web server, and a leak detector."""

from __future__ import annotations

import http.server
import io
import re
import secrets
import socketserver
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

ATTACKS = Path(__file__).parent / "attacks"
# Relative paths in the attack files climb from site/content/ to the secret's folder.
ARTICLE_SUBDIR = Path("site") / "content"


@dataclass
class Canary:
    """A secret folder outside the project, and a web server that records every connection."""

    secret_dir: Path
    token: str
    port: int
    connections: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def touched(self) -> list[str]:
        """Every connection and request the server saw."""
        return [*self.connections, *self.requests]


def make_secret(folder: Path, token: str) -> Path:
    """Files an attacker would like to print or attach, each carrying the token."""
    folder.mkdir(parents=True)
    (folder / "secret.txt").write_text(f"password={token}\n")
    (folder / ".env").write_text(f"API_KEY={token}\n")
    (folder / "secret.css").write_text(f'body::before {{ content: "{token}"; }}\n')
    (folder / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
        f'<g id="s"><text x="5" y="40" font-size="20">{token}</text></g></svg>\n'
    )
    return folder


class _Recorder(http.server.BaseHTTPRequestHandler):
    timeout = 2
    canary: Canary

    def do_GET(self) -> None:
        self.canary.requests.append(self.path)
        if self.path.endswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", f"{self.canary.url}/after-redirect")
            self.end_headers()
            return
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        """Quiet: the test reads the record instead."""


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    canary: Canary

    def verify_request(self, request: object, client_address: object) -> bool:
        # Recorded before any HTTP is spoken, so that FTP or TLS attempts count too.
        self.canary.connections.append(str(client_address))
        return True


@contextmanager
def canary(tmp_path: Path) -> Iterator[Canary]:
    """A secret folder under tmp_path and a recording server on 127.0.0.1, for one test."""
    token = f"CANARY{secrets.token_hex(8).upper()}"
    server = _Server(("127.0.0.1", 0), _Recorder)
    found = Canary(make_secret(tmp_path / "outside", token), token, server.server_address[1])
    server.canary = found
    handler = type("Recorder", (_Recorder,), {"canary": found})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


def place_attacks(names: list[str], folder: Path, found: Canary) -> list[Path]:
    """The attack files, filled in with the secret's folder and the server's address."""
    folder.mkdir(parents=True, exist_ok=True)
    placed = []
    for name in names:
        text = (ATTACKS / name).read_text()
        text = text.replace("@SECRET_DIR@", str(found.secret_dir))
        text = text.replace("@CANARY@", f"{found.url}/{Path(name).stem}")
        text = text.replace("@PORT@", str(found.port))
        text = text.replace("@STEM@", Path(name).stem)
        target = folder / name
        target.write_text(text)
        placed.append(target)
    return placed


def decompressed(data: bytes) -> bytes:
    """The PDF with every stream decompressed, as qpdf would write it."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.all)
    return out.getvalue()


def attachments(data: bytes) -> list[str]:
    """Embedded files and file-attachment annotations."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = [str(name) for name in pdf.attachments]
        for page in pdf.pages:
            names += [
                "annotation"
                for annotation in page.get("/Annots", [])
                if annotation.get("/Subtype") == "/FileAttachment"
            ]
    return names


def pdf_text(data: bytes) -> str:
    """The text a reader sees, pages joined."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def secret_leaks(data: bytes, token: str) -> list[str]:
    """Where the secret shows in the PDF: raw bytes, decompressed bytes or extracted text."""
    places = []
    if token.encode() in data:
        places.append("raw bytes")
    if token.encode() in decompressed(data):
        places.append("decompressed bytes")
    if token in pdf_text(data):
        places.append("text")
    if re.search(token.encode(), zlib_chunks(data)):
        places.append("zlib stream")
    return places


def zlib_chunks(data: bytes) -> bytes:
    """Every Flate stream inflated, whatever object it belongs to."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            inflated.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@dataclass
class Result:
    """What a pipeline made of one article: exit code, stderr, and the PDF if any."""

    code: int
    err: str
    pdf: bytes | None


NAIVE_PAGE = """<html><head><title>{title}</title></head><body>
<h1>{title}</h1>
{{% if image %}}<img src="{{{{ image }}}}">{{% endif %}}
{{% if url %}}<p><a href="{{{{ url }}}}">{{{{ url }}}}</a></p>{{% endif %}}
{body}
</body></html>"""


def naive_pipeline(article: Path) -> Result:
    """An article through Markdown, Jinja and WeasyPrint with none of the tool's defences."""
    import traceback

    try:
        return Result(0, "", _naive_pdf(article))
    except Exception:
        return Result(1, traceback.format_exc(), None)


def _naive_pdf(article: Path) -> bytes:
    import jinja2
    import markdown
    import yaml
    from weasyprint import HTML

    _, front, body = article.read_text().split("---\n", 2)
    meta = yaml.unsafe_load(front) or {}
    html = markdown.markdown(body)
    # The classic mistake: content pasted into the template source, then rendered.
    page = jinja2.Template(NAIVE_PAGE.format(title=meta.get("title", ""), body=html))
    rendered = page.render(image=meta.get("image"), url=meta.get("url"))
    data = HTML(string=rendered, base_url=article.parent.as_uri() + "/").write_pdf()
    assert isinstance(data, bytes)
    return data


def metadata(data: bytes) -> str:
    """The PDF's document information and XMP metadata as one string."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = " ".join(f"{key}={value}" for key, value in pdf.docinfo.items())
        xmp = str(pdf.Root.get("/Metadata").read_bytes()) if "/Metadata" in pdf.Root else ""
    return f"{info} {xmp}"


def problems(name: str, result: Result, found: Canary) -> list[str]:
    """Everything wrong with what a pipeline did with the attack file `name`."""
    issues = []
    if result.code not in (0, 1) or "Traceback" in result.err:
        issues.append(f"crashed ({result.code}): {result.err.strip().splitlines()[-1:]}")
    requests = [path for path in found.requests if path.startswith(f"/{Path(name).stem}/")]
    if requests:
        issues.append(f"the canary server was asked for {requests}")
    for pwned in found.secret_dir.glob(f"pwned-{Path(name).stem}*"):
        issues.append(f"code ran and made {pwned.name}")
    if name.startswith("09") and result.code != 1:
        issues.append("hostile front matter was accepted")
    if result.pdf is not None:
        issues += _pdf_problems(result.pdf, found.token, evaluated=name.startswith("08"))
    return issues


def _pdf_problems(data: bytes, token: str, evaluated: bool) -> list[str]:
    issues = [f"the secret is in the PDF's {place}" for place in secret_leaks(data, token)]
    issues += [f"the PDF carries an attachment: {name}" for name in attachments(data)]
    if "Injected" in metadata(data):
        issues.append("the body set the PDF's metadata")
    text = pdf_text(data)
    # Whole numbers only: a temporary folder such as pytest-136 is not an evaluated {{ 6*6 }}.
    if evaluated and re.search(r"\b(?:49|36|25|64)\b", text):
        issues.append("template syntax in the content was evaluated")
    if b"javascript" in decompressed(data).lower():
        issues.append("a javascript: address reached the PDF")
    return issues


def huge_png(path: Path, side: int) -> Path:
    """A small PNG file that decodes to side × side grey pixels."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)

    squeeze = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    idat = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path
