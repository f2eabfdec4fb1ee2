"""A booklet's notes page: a heading and ruled lines where a page would be left blank."""

from __future__ import annotations

from leaflets.article.model import Article
from leaflets.config.labels import labels_for
from leaflets.config.profile import Profile
from leaflets.html.render import environment
from leaflets.html.writing import writing_context

# Ruled lines: more than any page holds; the booklet takes the notes page's first page only,
# so the lines run down to its foot on every paper and in large print.
NOTES_LINES = 30


def notes_html(article: Article, profile: Profile) -> str:
    """The notes page's HTML, in the article's language and the clinic's colour."""
    labels = labels_for(article.language)
    template = environment(profile).get_template("notes.html.j2")
    return template.render(
        lang=article.language,
        labels=labels,
        writing=writing_context(labels),
        primary_color=profile.style.primary_color,
        lines=NOTES_LINES,
    )
