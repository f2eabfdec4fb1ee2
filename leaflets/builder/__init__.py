"""Building leaflets: one job, the worker pool, the catalogue, manifest and index."""
