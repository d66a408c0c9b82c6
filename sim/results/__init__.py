"""A run's results: the one run type, and the folder it is written to and read back from.

The experiment layer produces a ``RunResult`` and writes it here; reports read
a ``RunResult`` (from memory or from a folder) and never write the data files.
"""
from .folder import RESULT_FILES, RunFolderError, ensure_writable, read_run, summary_json, write_run
from .run import RunResult

__all__ = ["RESULT_FILES", "RunFolderError", "RunResult", "ensure_writable", "read_run", "summary_json", "write_run"]
