"""When the program itself fails (a bug, not a user's mistake): a report to send, kept on
disk, and one line that says where it is. The user's data is not in it: only the program's
version, the command, and the traceback."""

from __future__ import annotations

import platform
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from .i18n import Notice

EXIT_INTERNAL = 70  # EX_SOFTWARE: the program failed, not the user


def write_report(error: BaseException, command: list[str], folder: Path | None = None) -> Path | None:
    """Write a crash report beside the user's data (or in the temporary folder); return its
    path, or None when neither can be written (the caller still says what failed)."""
    from hzpolicy import __version__

    from .userdata import data_dir

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = "".join(
        [
            f"hzpolicy-tui {__version__}, Python {platform.python_version()} on {platform.platform()}\n",
            f"command: {' '.join(command) or '(the app)'}\n\n",
            *traceback.format_exception(error),
        ]
    )
    for place in ([folder] if folder else []) + [data_dir() / "crash-reports", Path(tempfile.gettempdir())]:
        try:
            place.mkdir(parents=True, exist_ok=True)
            path = place / f"hzpolicy-tui-crash-{stamp}.txt"
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        return path
    return None


def crash_line(error: BaseException, report: Path | None) -> Notice:
    """The one line that says the program failed and where the report is: a notice (English
    as a ``str``, in the reader's words by ``Locale.say``). The error itself is the
    program's, quoted as Python gives it."""
    what = f"{type(error).__name__}: {error}"
    if report:
        return Notice("hzpolicy-tui: internal error ({error}); a report is in {report}", error=what, report=report)
    return Notice("hzpolicy-tui: internal error ({error}); no report could be written", error=what)
