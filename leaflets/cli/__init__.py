"""The command line: click commands on top of the library; no build logic here."""
