"""Reading and checking an import file (SPEC §15.5), without the database's help for the rows' form:
XLSX or CSV with Korean headers, streamed row by row so memory stays bounded whatever the file's size.

XLSX through openpyxl's read-only mode (rows as values, the sheet never loaded whole); CSV through the csv
module over a text wrapper: UTF-8 with or without a BOM, or CP949/EUC-KR as Korean Excel saves it (the
first chunk decides). Whole-file problems raise ImportFileError; a row's problems are RowErrors (the
spreadsheet's row number, the Korean header, a Korean message). A row repeating an earlier row's natural
key is an error on the later row; only a hash of each key is kept, never the rows.

Owner: part B (issue 21). The signatures are the contract the task, API, page and command rely on."""

import codecs
import csv
import datetime
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports import rules

KINDS = ("support_records", "bans")

# The headers each kind needs, in the template's order (SPEC §15.5).
HEADERS: dict[str, tuple[str, ...]] = {
    "support_records": ("사업자등록번호", "기업명", "사업명", "연도", "지원수준", "정부지원금", "상태"),
    "bans": ("사업자등록번호", "대상", "사유", "근거", "시작일", "종료일"),
}

MAX_BYTES = 20 * 1024 * 1024  # a larger file is refused whole (ImportFileError)
ERRORS_KEPT = 1000  # ImportRun.ERRORS_KEPT: the errors listed; error_count counts them all
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls
_SNIFF = 64 * 1024


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


def file_size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("빈 파일입니다. 내용이 있는 XLSX 또는 CSV 파일을 올려 주세요."), "empty_file")
    if size > MAX_BYTES:
        raise ImportFileError(
            _("파일이 너무 큽니다(%(size)s). %(limit)s 이하의 파일만 가져올 수 있습니다.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)},
            "file_too_large",
        )


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("XLSX 또는 CSV 파일이 아닙니다. 엑셀에서 XLSX 또는 CSV(쉼표로 분리)로 저장해 올려 주세요."),
        "not_a_spreadsheet",
    )


def cell_text(value: Any) -> str:
    """An XLSX cell as the text the rules read: whole numbers without `.0`, dates as ISO days."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class _Table:
    rows: Iterator[list[str]]  # the header row first
    fraction: Callable[[], float]  # how far through the file the reading is, 0-1
    close: Callable[[], None]


def _xlsx_table(handle: IO[bytes]) -> _Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a zip that is not a workbook
        raise _not_a_spreadsheet() from None
    total = sheet.max_row or 0
    seen = [0]

    def rows() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                seen[0] += 1
                yield [cell_text(value) for value in values]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise _not_a_spreadsheet() from None

    return _Table(rows(), lambda: seen[0] / total if total else 0.0, book.close)


def _encoding(head: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return encoding
    raise _not_a_spreadsheet()


def _csv_table(handle: IO[bytes], size: int) -> _Table:
    handle.seek(0)
    encoding = _encoding(handle.read(_SNIFF))
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")

    def rows() -> Iterator[list[str]]:
        try:
            yield from csv.reader(text)
        except UnicodeDecodeError:
            raise ImportFileError(
                _("파일의 글자를 읽을 수 없습니다. UTF-8 또는 CP949(엑셀 기본)로 저장해 올려 주세요."),
                "bad_encoding",
            ) from None
        except csv.Error:
            raise _not_a_spreadsheet() from None

    def fraction() -> float:
        return handle.tell() / size if size else 0.0

    def close() -> None:
        text.detach()  # the caller's handle stays open

    return _Table(rows(), fraction, close)


def _table(handle: IO[bytes], name: str) -> _Table:
    size = file_size(handle)
    check_size(size)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(_ZIP):
        return _xlsx_table(handle)
    if head.startswith(_OLE2):
        raise ImportFileError(
            _("예전 엑셀 형식(XLS)은 읽을 수 없습니다. 엑셀에서 XLSX로 다시 저장해 올려 주세요."),
            "not_a_spreadsheet",
        )
    if name.lower().endswith(".xlsx"):
        raise _not_a_spreadsheet()
    return _csv_table(handle, size)


def _columns(header: list[str], kind: str) -> dict[str, int]:
    """Each needed header's column index; extra columns ignored, order free, spaces around ignored."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        title = title.strip().lstrip("\ufeff").strip()
        found.setdefault(title, index)
    missing = [title for title in HEADERS[kind] if title not in found]
    if missing:
        raise ImportFileError(
            _("필요한 열이 없습니다: %(missing)s. 첫 행에 %(headers)s 제목이 있어야 합니다.")
            % {"missing": ", ".join(missing), "headers": ", ".join(HEADERS[kind])},
            "wrong_headers",
        )
    return {title: found[title] for title in HEADERS[kind]}


def _records(table: _Table, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    header = next(table.rows, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ImportFileError(_("첫 행에 열 제목이 없습니다. 빈 파일이거나 형식이 다릅니다."), "empty_file")
    columns = _columns(header, kind)
    for number, cells in enumerate(table.rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (and Excel's formatted empty rows) are not rows
        yield number, {title: (cells[i] if i < len(cells) else "") for title, i in columns.items()}


def read_rows(
    handle: IO[bytes], name: str, kind: str = "support_records"
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {header: cell text}) for every data row of an XLSX or CSV file, streamed."""
    table = _table(handle, name)
    try:
        yield from _records(table, kind)
    finally:
        table.close()


def check_header(handle: IO[bytes], name: str, kind: str) -> None:
    """The whole-file checks that need only the first row: size, content, headers (ImportFileError)."""
    table = _table(handle, name)
    try:
        header = next(table.rows, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportFileError(
                _("첫 행에 열 제목이 없습니다. 빈 파일이거나 형식이 다릅니다."), "empty_file"
            )
        _columns(header, kind)
    finally:
        table.close()


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any] | None  # the fields to store, or None when the row has errors
    errors: list[RowError]


def _parse(number: int, cells: dict[str, str], parsers: dict, kind: str) -> ParsedRow:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for title, (parse, name) in parsers.items():
        try:
            values[name] = parse(cells[title])
        except rules.CellError as error:
            errors.append(RowError(number, title, error.message))
    if kind == "bans" and not any(e.column == "종료일" for e in errors):
        try:
            values["ends_on"] = rules.ends_on_parse(cells["종료일"], values.get("starts_on"))
        except rules.CellError as error:
            errors.append(RowError(number, "종료일", error.message))
    return ParsedRow(number, None if errors else values, errors)


def _key_hash(values: dict[str, Any], kind: str) -> int:
    key = "\x1f".join(str(values[name]) for name in rules.NATURAL_KEYS[kind])
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def parsed_rows(
    handle: IO[bytes], name: str, kind: str, *, progress: Callable[[float], None] | None = None
) -> Iterator[ParsedRow]:
    """Every data row parsed by the kind's rules, in file order; a repeat of an earlier row's natural key
    is an error on the later row. `progress(fraction)` after every 1,000 rows."""
    if kind not in KINDS:
        raise ImportFileError(_("알 수 없는 가져오기 종류입니다."), "invalid_kind")
    table = _table(handle, name)
    parsers = rules.row_rules(kind)
    first_row: dict[int, int] = {}  # natural key's hash → the row it was first seen on
    try:
        for count, (number, cells) in enumerate(_records(table, kind), start=1):
            parsed = _parse(number, cells, parsers, kind)
            if parsed.values is not None:
                key = _key_hash(parsed.values, kind)
                earlier = first_row.setdefault(key, number)
                if earlier != number:
                    parsed = ParsedRow(number, None, [RowError(number, "", _duplicate(kind, earlier))])
            if progress is not None and count % 1000 == 0:
                progress(table.fraction())
            yield parsed
    finally:
        table.close()


def _duplicate(kind: str, earlier: int) -> str:
    if kind == "support_records":
        return _("%(row)s행과 사업자등록번호·사업명·연도가 같은 중복 행입니다.") % {"row": earlier}
    return _("%(row)s행과 사업자등록번호·대상·시작일이 같은 중복 행입니다.") % {"row": earlier}


def check(
    handle: IO[bytes],
    name: str,
    kind: str,
    *,
    progress=None,
    errors_kept: int = ERRORS_KEPT,
    on_valid: Callable[[dict[str, Any]], None] | None = None,
) -> CheckResult:
    """The dry run: every row checked, nothing written. `progress(percent)` is called now and then;
    `on_valid(values)` with each valid row's values (the services keep them for the write)."""
    result = CheckResult()
    last = [-1]

    def report(fraction: float) -> None:
        percent = min(99, int(fraction * 100))
        if progress is not None and percent != last[0]:
            last[0] = percent
            progress(percent)

    for parsed in parsed_rows(handle, name, kind, progress=report):
        result.rows += 1
        if parsed.values is not None:
            result.valid += 1
            if on_valid is not None:
                on_valid(parsed.values)
            continue
        result.error_count += len(parsed.errors)
        room = errors_kept - len(result.errors)
        if room > 0:
            result.errors.extend(parsed.errors[:room])
    if result.rows == 0:
        raise ImportFileError(_("데이터 행이 없습니다. 제목 행 아래에 가져올 행을 넣어 주세요."), "no_rows")
    return result
