"""Clinical instruments as plug-ins: one folder per instrument, each defining INSTRUMENT."""
