"""vnplanparse: Vietnamese government plans to structured, schema-validated JSON."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnplanparse")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

from .errors import InputError, VnPlanParseError
from .model import PlanDocument
from .pipeline import parse

__all__ = ["InputError", "PlanDocument", "VnPlanParseError", "__version__", "parse"]
