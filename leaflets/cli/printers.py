"""The `printers` command: the CUPS queues the desk and `print` can use, and a test page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from leaflets.config.errors import printable
from leaflets.config.labels import setup_texts, system_language

if TYPE_CHECKING:
    from leaflets.api import Queue


@click.command()
@click.option("--test", "test_queue", metavar="QUEUE", help="Print a one-page test sheet on QUEUE.")
def printers(test_queue: str | None) -> None:
    """List the CUPS printer queues with their state, the default first.

    \b
    Examples:
      make-leaflet printers
      make-leaflet printers --test reception
    """
    # Here, not above: every command loads this module, and only `printers` asks CUPS.
    from leaflets.api import print_test_page, printer_queues

    language = system_language()
    texts = setup_texts(language)
    if test_queue is not None:
        chosen = print_test_page(test_queue, language)
        click.echo(printable(texts["test_sent"].format(queue=chosen)))
        return
    found = printer_queues()
    if not found:
        click.echo(texts["no_queues"])
    for queue in found:
        click.echo(printable(queue_line(queue, texts)))


def queue_line(queue: Queue, texts: dict[str, str]) -> str:
    """'reception  klar (standard)', or with the reason a queue cannot print."""
    state = texts[f"queue_{queue.state}"]
    if queue.out_of_paper:
        state = texts["queue_no_paper"]
    if not queue.accepting:
        state = f"{state}, {texts['queue_refusing']}"
    details = [texts["queue_default"]] if queue.default else []
    if queue.reason and not queue.out_of_paper:
        details.append(queue.reason)
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"{queue.name:<20} {state}{suffix}"
