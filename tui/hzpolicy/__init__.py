"""hzpolicy-tui: read, search and use a Chinese city policy package in the terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hzpolicy-tui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
