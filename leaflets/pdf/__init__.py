"""Leaflet HTML to PDF with WeasyPrint, confined to the allowed folders, and tagged."""
