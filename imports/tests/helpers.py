"""Files to import, built in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports.reading import HEADERS
from tests.factories import valid_business_number


def support_row(**changes) -> dict:
    row = {
        "사업자등록번호": valid_business_number(),
        "기업명": "가나정밀(주)",
        "사업명": "2023 대·중소 상생형 스마트공장",
        "연도": "2023",
        "지원수준": "고도화1",
        "정부지원금": "50,000,000",
        "상태": "완료",
    }
    return row | changes


def ban_row(**changes) -> dict:
    row = {
        "사업자등록번호": valid_business_number(),
        "대상": "기업",
        "사유": "사업비 목적 외 사용",
        "근거": "관리지침 제30조",
        "시작일": "2024-03-02",
        "종료일": "",
    }
    return row | changes


def csv_bytes(
    rows: list[dict], kind: str = "support_records", *, encoding: str = "utf-8-sig", headers=None
) -> bytes:
    headers = list(headers or HEADERS[kind])
    lines = [",".join(headers)]
    for row in rows:
        lines.append(",".join(_quoted(str(row.get(h.strip(), ""))) for h in headers))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _quoted(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def xlsx_bytes(rows: list[list], kind: str = "support_records", *, headers=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers or HEADERS[kind]))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "지원이력.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
