"""The reception desk: a local web page where staff find, preview, print and send leaflets."""
