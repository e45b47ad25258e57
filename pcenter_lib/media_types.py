"""The media type of each kind of file the workbench offers for download (RFC 6838 registrations).

Kept apart from ``documents`` (which loads python-docx and openpyxl) so that a page offering a
link, such as the home page, does not load the document libraries just to name a file's type.
"""

from __future__ import annotations

from typing import Final

MEDIA_TYPES: Final = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
    "png": "image/png",
}
