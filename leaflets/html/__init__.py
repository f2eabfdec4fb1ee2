"""The article as leaflet HTML: sanitised Markdown, Jinja templates, the clinic's identity."""
