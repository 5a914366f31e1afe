"""Errors that are a user's mistake: printed as one line, exit status 2, never a traceback."""


class UsageError(Exception):
    """A user's mistake on the command line."""
