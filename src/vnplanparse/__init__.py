"""vnplanparse: Vietnamese government plans to structured, schema-validated JSON."""

from ._version import __version__
from .errors import InputError, VnPlanParseError
from .model.plan import PlanDocument
from .pipeline import parse


__all__ = ["InputError", "PlanDocument", "VnPlanParseError", "__version__", "parse"]
