"""Settings: the clinic profile and its schema, build options, labels, defaults, errors."""
