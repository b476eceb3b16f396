"""The package's own errors: everything a caller must handle from `parse`."""


class VnPlanParseError(Exception):
    """Base class: a plan could not be turned into a document."""


class InputError(VnPlanParseError):
    """The input is not a readable plan (missing, empty, binary, undecodable, too large)."""


class OutputError(VnPlanParseError):
    """A document could not be written: it violates the schema (a bug), or its file cannot be written."""
