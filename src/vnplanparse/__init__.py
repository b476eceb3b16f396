"""vnplanparse: Vietnamese government plans to structured, schema-validated JSON."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnplanparse")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

from .errors import InputError, VnPlanParseError  # noqa: E402
from .model import PlanDocument  # noqa: E402
from .pipeline import parse  # noqa: E402

__all__ = ["parse", "PlanDocument", "VnPlanParseError", "InputError", "__version__"]
