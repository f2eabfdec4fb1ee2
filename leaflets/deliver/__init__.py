"""Handing a leaflet out: to a CUPS printer, or by email over SMTP."""
