"""A one-page test sheet for a printer queue: our own words, never an article."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from leaflets.config.labels import setup_texts
from leaflets.deliver.cups import PrintRequest, ready_queue, submit
from leaflets.workers import private_folder

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A4; margin: 25mm }} body {{ font: 16pt/1.5 sans-serif }}
h1 {{ font-size: 28pt }} .frame {{ border: 2pt solid black; padding: 10mm }}</style></head>
<body><div class="frame"><h1>{title}</h1><p>{body}</p><p>{queue} · {today}</p></div></body></html>
"""


def print_test_page(queue: str | None, language: str) -> str:
    """Send a one-page test sheet to `queue` (or the default); the queue's name is returned."""
    chosen = ready_queue(queue)
    texts = setup_texts(language)
    page = PAGE.format(
        lang=escape(language),
        title=escape(texts["test_title"]),
        body=escape(texts["test_body"]),
        queue=escape(chosen),
        today=dt.date.today().isoformat(),
    )
    import weasyprint

    with private_folder("test-page-") as folder:
        pdf = Path(folder) / "test-page.pdf"
        weasyprint.HTML(string=page).write_pdf(pdf)
        submit(PrintRequest(pdf, texts["test_title"], sides="one-sided"), chosen)
    return chosen
