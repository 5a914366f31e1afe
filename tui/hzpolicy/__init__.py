"""hzpolicy-tui: read, search and use a Chinese city policy package in the terminal."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version comes from the package metadata (one source), but importlib.metadata
    # costs ~60 ms to import: load it only when someone asks.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("hzpolicy-tui")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(name)
