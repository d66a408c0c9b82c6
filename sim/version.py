"""The package's version, read once from its installed metadata (the bottom layer: the run folder's provenance
and the command line read it)."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("sim")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
