"""Reading and checking an import file (SPEC §15.5), without the database's help for the rows' form:
XLSX or CSV with Korean headers, streamed row by row so memory stays bounded whatever the file's size.

Owner: part B (issue 21). The signatures are the contract the task, API, page and command rely on."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

KINDS = ("support_records", "bans")

# The headers each kind needs, in the template's order (SPEC §15.5).
HEADERS: dict[str, tuple[str, ...]] = {
    "support_records": ("사업자등록번호", "기업명", "사업명", "연도", "지원수준", "정부지원금", "상태"),
    "bans": ("사업자등록번호", "대상", "사유", "근거", "시작일", "종료일"),
}

MAX_BYTES = 20 * 1024 * 1024  # a larger file is refused whole (ImportFileError)


class ImportFileError(ValueError):
    """The whole file cannot be read: not a spreadsheet, empty, too large, wrong headers. The message is
    Korean, for the page and the API's `failure`; nothing is written."""

    def __init__(self, message: str, code: str = "invalid_file"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the Korean header, or "" for the row as a whole (e.g. a duplicate)
    message: str  # Korean


@dataclass
class CheckResult:
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ImportRun.ERRORS_KEPT


def read_rows(handle: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {header: cell text}) for every data row of an XLSX or CSV file, streamed."""
    raise NotImplementedError


def check(handle: IO[bytes], name: str, kind: str, *, progress=None) -> CheckResult:
    """The dry run: every row checked, nothing written. `progress(percent)` is called now and then."""
    raise NotImplementedError
