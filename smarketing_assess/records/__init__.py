"""The seam: the records the model makes and every report reads.

Each module holds the typed records of one part of a report (dataclasses, with the constants that
say what their fields mean). The model builds, judges, writes and reads them; presenting imports
these modules and nothing of the model, so no renderer can judge again after the seam (an
import-linter contract in pyproject.toml keeps it so). `serial` is how every record file is
written and read: plain JSON, floats rounded, a schema version, migrations one step at a time.
"""
