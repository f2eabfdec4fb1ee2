"""Content checks: readability, dates, review status, structure and web leftovers."""
