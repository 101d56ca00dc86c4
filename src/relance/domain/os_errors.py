"""Why the operating system could not read or write a file, in the reader's words.

Python gives the C library's English text (`strerror`); a French operator needs to know what to
do: free some space, ask for the rights, give a file rather than a folder. Errors this table
does not know keep the system's own words, as a detail.
"""

import errno

from relance.domain.errors import N_, RelanceError

_DENIED = N_("permission denied: ask for the rights, or choose another place")
_FULL = N_("the disk is full: free some space, or choose another disk")
_REASONS = {
    errno.ENOENT: N_("no such file or directory"),
    errno.EACCES: _DENIED,
    errno.EPERM: _DENIED,
    errno.EISDIR: N_("a directory, where a file is expected"),
    errno.ENOTDIR: N_("a part of the path is a file, where a directory is expected"),
    errno.ENOSPC: _FULL,
    errno.EDQUOT: _FULL,
    errno.EROFS: N_("a read-only disk: choose another place"),
    errno.EEXIST: N_("it already exists"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
    errno.EIO: N_("input/output error: the disk or the USB key may be failing"),
    errno.ENOTEMPTY: N_("the directory is not empty"),
}


def os_reason(error: OSError) -> RelanceError:
    """Why `error` happened, as a value of a message (said in the reader's language)."""
    reason = _REASONS.get(error.errno) if error.errno is not None else None
    if reason is not None:
        return RelanceError(reason)
    return RelanceError("{detail}", detail=error.strerror or str(error))  # the system's words
