"""`make-leaflet init`: a guided set-up that writes clinic.toml, in the system's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from leaflets.api import (
    Answers,
    answer_problems,
    profile_text,
    relative_to_profile,
    write_atomically,
)
from leaflets.config.defaults import CLINIC_FILE, DEFAULT_LANGUAGE
from leaflets.config.errors import LeafletError, printable
from leaflets.config.labels import setup_texts, system_language
from leaflets.config.smtp import DEFAULT_PORTS, SMTP_SECURITY, smtp_settings

# (table, key, flag) for every answer, in the order they are asked.
QUESTIONS = (
    ("clinic", "name", "name"),
    ("clinic", "address", "address"),
    ("clinic", "phone", "phone"),
    ("clinic", "email", "email"),
    ("clinic", "website", "website"),
    ("clinic", "opening_hours", "opening_hours"),
    ("clinic", "logo", "logo"),
    ("leaflets", "language", "language"),
    ("leaflets", "review_months", "review_months"),
    ("leaflets", "base_url", "base_url"),
    ("checks", "max_lix", "max_lix"),
)
SMTP_QUESTIONS = (
    ("smtp", "host", "smtp_host"),
    ("smtp", "port", "smtp_port"),
    ("smtp", "security", "smtp_security"),
    ("smtp", "username", "smtp_username"),
    ("smtp", "from", "smtp_from"),
)
DEFAULTS: dict[str, Any] = {
    "language": DEFAULT_LANGUAGE,
    "review_months": 24,
    # Health texts are full of long words, which LIX counts as hard: 60 flags the hardest.
    "max_lix": 60,
    "smtp_port": DEFAULT_PORTS[SMTP_SECURITY[0]],
    "smtp_security": SMTP_SECURITY[0],
}


@click.command()
@click.option("--name", help="The clinic's name.")
@click.option("--address", help="Its address, as printed on every leaflet.")
@click.option("--phone", help="Its phone number.")
@click.option("--email", help="Its email address for patients.")
@click.option("--website", help="Its website, https://...")
@click.option("--opening-hours", help="Opening hours, as printed.")
@click.option("--logo", type=click.Path(path_type=Path, dir_okay=False), help="SVG, PNG or JPEG.")
@click.option("--language", help="The leaflets' language (da, en, ...).")
@click.option("--review-months", type=int, help="Months between reviews (1-36).")
@click.option("--base-url", help="Where the articles are online; their QR codes point there.")
@click.option("--max-lix", type=int, help="The highest LIX an article may have (default 60).")
@click.option("--smtp-host", help="Mail server for sending leaflets (leave out for no email).")
@click.option("--smtp-port", type=int)
@click.option("--smtp-security", type=click.Choice(SMTP_SECURITY))
@click.option("--smtp-username")
@click.option("--smtp-from", help="Sender, e.g. 'Clinic <contact@clinic.example>'.")
@click.option("--printer", help="The CUPS queue to print on (see `make-leaflet printers`).")
@click.option("--yes", "unattended", is_flag=True, help="Ask nothing: take the flags and defaults.")
@click.option("--force", is_flag=True, help="Overwrite an existing profile.")
@click.option(
    "--clinic",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    default=CLINIC_FILE,
    help="Where to write the profile (default: clinic.toml).",
)
def init(unattended: bool, force: bool, target: Path, **given: Any) -> None:
    """Write the clinic's profile (clinic.toml): name, contact, logo, language, mail and printer.

    Asks for each answer and checks it at once, as the build will; or, with --yes, takes the
    flags and writes nothing unless every value is sound.

    \b
    Examples:
      make-leaflet init
      make-leaflet init --yes --name "Fysio Nord" --phone "+45 12 34 56 78" \\
          --website https://fysionord.dk/ --base-url https://fysionord.dk/artikler/
    """
    texts = setup_texts(system_language())
    if target.exists() and not force:
        raise LeafletError(target, texts["exists"].format(path=target).split(": ", 1)[-1])
    ask = _no_questions(given) if unattended else _questions(texts, target, given)
    answers = gather(ask, target, given)
    text = profile_text(answers, target)
    refuse_mail_that_cannot_send(answers, target)
    write_atomically(target, text.encode())
    # Another profile than the project's is named in the command that builds with it.
    clinic = "" if target.resolve() == CLINIC_FILE.resolve() else f" --clinic {target}"
    click.echo(printable(texts["written"].format(path=target, clinic=clinic)))
    if not unattended:
        _offer_tests(answers, texts)


Ask = Any  # (table, key, flag, suggestion) -> the answer, or None to leave it out


def refuse_mail_that_cannot_send(answers: Answers, target: Path) -> None:
    """Refuse a mail server that `email` would refuse: unencrypted to another machine, or
    with no sender address."""
    from leaflets.api import check_smtp_transport

    smtp = answers["smtp"]
    if not smtp.get("host"):
        return
    check_smtp_transport(smtp_settings(smtp, target.parent), target)
    if not answers["clinic"].get("email") and not smtp.get("from"):
        raise LeafletError(
            target, "no sender address for the mail server: give --email or --smtp-from"
        )


def gather(ask: Ask, target: Path, given: dict[str, Any]) -> Answers:
    """Every answer, by table; mail only when a server is named, the printer when one is."""
    answers: Answers = {"clinic": {}, "leaflets": {}, "checks": {}, "print": {}, "smtp": {}}
    for table, key, flag in QUESTIONS:
        _keep(answers, table, key, ask(table, key, flag, _suggestion(flag, given)))
    if answers["clinic"].get("logo"):
        answers["clinic"]["logo"] = relative_to_profile(Path(answers["clinic"]["logo"]), target)
    if ask("smtp", "", "smtp", bool(given.get("smtp_host"))):
        for table, key, flag in SMTP_QUESTIONS:
            _keep(answers, table, key, ask(table, key, flag, _suggestion(flag, given)))
    _keep(answers, "print", "printer", ask("print", "printer", "printer", given.get("printer")))
    return answers


def _keep(answers: Answers, table: str, key: str, value: Any) -> None:
    if value not in (None, ""):
        answers[table][key] = value


def _suggestion(flag: str, given: dict[str, Any]) -> Any:
    value = given.get(flag)
    return value if value is not None else DEFAULTS.get(flag, "")


def _no_questions(given: dict[str, Any]) -> Ask:
    """The flags as answers; the profile's check reports every problem together."""

    def ask(table: str, key: str, flag: str, suggestion: Any) -> Any:
        return suggestion

    return ask


def _questions(texts: dict[str, str], target: Path, given: dict[str, Any]) -> Ask:
    """Each answer asked for, with the flag's value or a default as the suggestion, and
    checked at once so that a typo is put right where it was made."""
    click.echo(printable(texts["init_intro"].format(path=target)))

    def ask(table: str, key: str, flag: str, suggestion: Any) -> Any:
        if flag == "smtp":
            return click.confirm(texts["ask_smtp"], default=bool(suggestion))
        if flag == "printer":
            names = [queue.name for queue in _queues()]
            suggestion = suggestion or (names[0] if names else "")
            if not names and not suggestion:
                return None
        while True:
            value = click.prompt(
                texts[f"ask_{flag}"],
                default=suggestion,
                show_default=True,
                type=int if isinstance(DEFAULTS.get(flag), int) else str,
            )
            problems = answer_problems(table, key, value, target.parent) if value != "" else []
            if not problems:
                return value
            click.echo(printable(texts["problem"].format(problem="; ".join(problems))), err=True)

    return ask


def _queues() -> list[Any]:
    from leaflets.api import printer_queues

    try:
        return list(printer_queues())
    except LeafletError:
        return []  # no CUPS here: the printer can be named later


def _offer_tests(answers: Answers, texts: dict[str, str]) -> None:
    """A real login to the mail server, and a test page, each when the person wants one."""
    # Here, not above: every command loads this module, and only `init` sends or prints.
    from leaflets.api import print_test_page, try_smtp_login

    smtp = answers["smtp"]
    if smtp.get("host") and click.confirm(texts["ask_smtp_test"], default=True):
        password = click.prompt(texts["ask_smtp_password"], hide_input=True, default="")
        try_smtp_login(smtp_settings(smtp, Path.cwd()), password)
        click.echo(texts["smtp_ok"])
        click.echo(texts["smtp_password_hint"])
    printer = answers["print"].get("printer")
    if printer and click.confirm(texts["ask_printer_test"], default=False):
        language = answers["leaflets"].get("language", DEFAULT_LANGUAGE)
        click.echo(texts["test_sent"].format(queue=print_test_page(printer, language)))
