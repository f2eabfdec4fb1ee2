"""Every rule, by id: what it looks for and the function that looks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from leaflets.checks import (
    rules_codes,
    rules_dates,
    rules_leftovers,
    rules_readability,
    rules_structure,
    rules_translations,
)
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding

Rule = Callable[[Context], Iterator[Finding]]

# id: what the rule finds. A function may report under several ids (readability
# reports 'lix' or 'flesch'; the removed-leftovers rule reports 'liquid', 'kramdown', 'emoji').
RULES: dict[str, str] = {
    "load": "the article cannot be built (no title, an impossible date, bad front matter)",
    "title": "no 'title'; the title is taken from 'metaTitle'",
    "lix": "LIX above [checks] max_lix (Danish, Swedish, Norwegian)",
    "flesch": "Flesch reading ease below [checks] min_flesch (English; Amstad's form for German)",
    "date-order": "'lastUpdated' earlier than 'datePublished'",
    "date-future": "a date after today",
    "date-missing": "no 'datePublished'",
    "review-overdue": "the next review date has passed",
    "review-due": "the next review is due within 90 days",
    "empty-section": "a heading with nothing under it",
    "faq-no-answer": "a FAQ question without an answer",
    "faq-duplicate": "a FAQ question asked twice",
    "heading-skip": "a heading more than one level below the one before it",
    "image-alt": "an image without alt text",
    "image-missing": "an image that cannot be printed (missing, remote or outside the folders)",
    "link-missing": "a link to a local file that does not exist",
    "too-long": "more estimated pages than [checks] max_pages",
    "liquid": "a Liquid tag left from a website",
    "kramdown": "a kramdown attribute left from a website",
    "emoji": "an emoji (the print font has none)",
    "tracking": "tracking parameters (utm_*, gclid, fbclid ...) in a link address",
    "thematic-break": "a Markdown '---' break, which would print as a rule",
    "code-indent": "text indented four spaces, which Markdown would print as code",
    "advert": "a link, sentence or section advertising another website ([cleanup] in clinic.toml)",
    "references": "a reference list, printed as one paragraph of sources without addresses",
    "html": "raw HTML in the Markdown",
    "paper-cta": "a call to action meant for a screen ('klik her', 'Læs mere')",
    "check-config": "an unknown rule name in an ignore list",
    "translation-stale": "a translation whose source has changed since it was translated",
    "translation-unmarked": "a translation without 'source_hash' (not checked against its source)",
    "code-invalid": "a diagnosis code in 'codes' of an unknown system or of the wrong shape",
}

CHECKS: tuple[Rule, ...] = (
    rules_readability.readability,
    rules_dates.date_order,
    rules_dates.date_future,
    rules_dates.date_missing,
    rules_dates.review,
    rules_structure.empty_sections,
    rules_structure.front_matter_faq,
    rules_structure.repeated_questions,
    rules_structure.skipped_levels,
    rules_structure.images,
    rules_structure.links,
    rules_readability.too_long,
    rules_leftovers.removed_leftovers,
    rules_leftovers.raw_html,
    rules_leftovers.screen_phrases,
    rules_translations.translation_state,
    rules_codes.codes,
)

# The rules that need only the body, for an article whose front matter cannot be read.
BODY_CHECKS: tuple[Rule, ...] = (
    rules_structure.empty_sections,
    rules_structure.skipped_levels,
    rules_structure.images,
    rules_structure.links,
    rules_leftovers.removed_leftovers,
    rules_leftovers.raw_html,
    rules_leftovers.screen_phrases,
)
