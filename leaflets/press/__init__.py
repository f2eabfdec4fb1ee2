"""Print production: paper sizes, bleed and crop marks, booklet imposition."""
