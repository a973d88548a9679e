"""The sample import files of docs/imports.md, made again the same way: `python docs/samples/make_samples.py`.

Invented companies with valid 사업자등록번호 (check digits computed, docs/domain.md §6): 30 support records
(지원이력_예시.xlsx, .csv), 12 bans (참여제한_예시.xlsx, .csv) and a support-records file with one error of
each kind (지원이력_오류예시.csv; its errors are listed in docs/imports.md)."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from imports.writing import write_file  # noqa: E402
from program.business_number import check_digit  # noqa: E402

NAMES = (
    "가람정밀 나래금속 다온테크 라온산업 마루기계 바름전자 사랑식품 아라화학 자람플라스틱 차오름부품 "
    "카이소재 타라섬유 파랑공업 하늘오토텍 고운세라믹 누리포장 도담제약 로아금형 미르정공 비솔전기 "
    "새봄목재 온누리주물 지음인쇄 청솔가구 큰별철강 토담농식품 푸름환경 한결기공 단비광학 별빛반도체"
).split()
PROGRAMS = ["대·중소 상생형 스마트공장 구축", "스마트공장 고도화 지원", "제조데이터 기반 스마트공장"]
LEVELS = ["기초", "고도화1", "고도화2"]
STATUSES = ["완료", "완료", "구축", "협약", "선정", "포기"]


def business_number(index: int) -> str:
    first_nine = f"{301 + index * 7:03d}81{(1000 + index * 137) % 10000:04d}"
    digits = first_nine + str(check_digit(first_nine))
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def support_rows() -> list[tuple]:
    rows = []
    for index, name in enumerate(NAMES):
        level = LEVELS[index % 3]
        amount = (40_000_000, 100_000_000, 200_000_000)[index % 3] - (index % 5) * 5_000_000
        year = 2019 + index % 6
        rows.append(
            (business_number(index), f"{name}(주)", f"{year} {PROGRAMS[index % 3]}", year, level, amount,
             STATUSES[index % len(STATUSES)])
        )  # fmt: skip
    return rows


def ban_rows() -> list[tuple]:
    reasons = [
        ("사업비 목적 외 사용", "스마트공장 보급·확산사업 관리지침 제30조"),
        ("허위 서류 제출", "중소기업기술혁신법 제31조"),
        ("정당한 사유 없는 협약 포기", "스마트공장 보급·확산사업 관리지침 제28조"),
    ]
    rows = []
    for index in range(12):
        reason, basis = reasons[index % 3]
        subject = "공급기업" if index % 4 == 3 else "기업"
        starts = f"{2022 + index % 3}-{1 + index % 12:02d}-{1 + index * 2:02d}"
        ends = "" if index % 3 else ("영구" if index == 6 else f"{2025 + index % 3}. {1 + index % 12}. 1.")
        rows.append((business_number(40 + index), subject, reason, basis, starts, ends))
    return rows


def error_rows() -> list[tuple]:
    good = support_rows()[:3]
    bad_digit = business_number(0)[:-1] + str((int(business_number(0)[-1]) + 1) % 10)
    return [
        *good,
        (bad_digit, "가짜정밀(주)", "2023 스마트공장 고도화 지원", 2023, "기초", 40_000_000, "완료"),  # row 5
        (business_number(60), "", "2023 스마트공장 고도화 지원", 2023, "기초", 40_000_000, "완료"),  # row 6
        (
            business_number(61),
            "모래기계(주)",
            "2023 스마트공장 고도화 지원",
            "2023년",
            "기초",
            40_000_000,
            "완료",
        ),
        (
            business_number(62),
            "바위전자(주)",
            "2023 스마트공장 고도화 지원",
            2023,
            "고급",
            40_000_000,
            "완료",
        ),
        (business_number(63), "구름식품(주)", "2023 스마트공장 고도화 지원", 2023, "기초", "4,000만", "완료"),
        (
            business_number(64),
            "이슬화학(주)",
            "2023 스마트공장 고도화 지원",
            2023,
            "기초",
            "40000000.5",
            "완료",
        ),
        (
            business_number(65),
            "노을부품(주)",
            "2023 스마트공장 고도화 지원",
            2023,
            "기초",
            40_000_000,
            "끝남",
        ),
        good[1],  # row 12: the same business number, program and year as row 3
    ]


def main() -> None:
    for fmt in ("xlsx", "csv"):
        write_file(str(HERE / f"지원이력_예시.{fmt}"), "support_records", fmt, support_rows())
        write_file(str(HERE / f"참여제한_예시.{fmt}"), "bans", fmt, ban_rows())
    write_file(str(HERE / "지원이력_오류예시.csv"), "support_records", "csv", error_rows())


if __name__ == "__main__":
    main()
