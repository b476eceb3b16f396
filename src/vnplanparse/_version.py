"""The installed package's version (a source tree never installed reads 0.0.0+source)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnplanparse")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
