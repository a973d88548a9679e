"""What report workbooks add to the product's one XLSX writer (config.spreadsheet): the 정보 sheet."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from config.spreadsheet import Book, Column


def info_sheet(book: Book, about: dict, extra: Sequence[tuple[str, object, str]] = ()) -> None:
    """The 정보 sheet: what the report covers and when it was made, then any totals."""
    table = book.table(_("정보"), [Column(_("항목"), 22), Column(_("내용"), 48)])
    table.append([_("보고서"), about["title"]])
    table.append([_("대상"), about["scope"]])
    table.append([_("기간"), about["period"]])
    table.append([_("작성일시"), about["made_at"]])
    table.append([_("구분"), _("정기 보고서") if about["scheduled"] else _("요청 보고서")])
    for label, value, kind in extra:
        table.append([label, value], kinds=["text", kind])
    table.close()
