"""The demo data of `manage.py seed_demo` (docs/domain.md §12–§13), described without touching the database.

Everything is a function of fixed seeds and today's date, so two runs on the same day describe
exactly the same rows. A row names related rows by natural key: a sponsor, agency or supplier by
name, a company by business number, a program by slug, a user by username, an application by
(program slug, business number); keys starting with "_" are not fields. Facts about real
companies come from shared/seeds and name their source; every other figure, name and business
number is invented and marked 데모용.
"""

import datetime
import random
from typing import Any

from django.utils import timezone

from accounts.models import Role
from applicants.models import Application
from program.business_number import check_digit
from program.choices import Region

S = Application.Status
DAY = datetime.timedelta(days=1)
SEED = 2026
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (the published demo password)
# The published second factor of the demo logins that must use one (SPEC §20: staff, the ministry,
# sponsors, the superuser): one TOTP secret for an authenticator app, and ten recovery codes.
DEMO_OTP_SECRET = "SMARTFACTORYDEMOSMARTFACTORYDEMO"  # noqa: S105 (published, base32)
DEMO_RECOVERY_CODES = [f"demo{n:04d}" for n in range(1, 11)]
EOK = 100_000_000  # 1억 원
MAN = 10_000  # 1만 원
DEMO_FIGURE = "데모용 가상 금액 (실제 출연액 아님)"
DEMO_NOTE = "※ 신청기업·과제·점수·성과는 모두 데모용 가상 데이터입니다."
LS_SOURCE = "seeds/000_5e40e115afed62fd.txt"
SAMSUNG_SOURCE = "seeds/004_e1749d6a5d79999c.txt"
AGENCIES = ["대·중소기업·농어업협력재단", "중소기업중앙회", "대한상공회의소"]
# The login that acts for each agency's programs (docs/domain.md §1: staff work in their own agency);
# an agency without a demo login is acted for by the agency-less superuser, who sees every agency.
AGENCY_STAFF = {AGENCIES[0]: "staff", AGENCIES[1]: "staff-kbiz"}
SPONSOR_NAMES = ["LS ELECTRIC", "삼성전자", "포스코", "현대자동차", "LG전자"]

# Cost-share policies of docs/domain.md §3.1.
NO_CAPS = {"gov_cap_basic": None, "gov_cap_advanced1": None, "gov_cap_advanced2": None}
POLICY_334 = {"gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 40, "cap_excess_to": "sme", **NO_CAPS}
POLICY_TYPE1 = {
    **POLICY_334,
    "gov_cap_basic": 42_000_000,
    "gov_cap_advanced1": 120_000_000,
    "gov_cap_advanced2": 240_000_000,
    "cap_excess_to": "sponsor",
}
POLICY_TYPE2 = {**POLICY_TYPE1, **NO_CAPS, "gov_ratio": 50, "sponsor_ratio": 50, "sme_ratio": 0}
POLICY_TYPE2["gov_cap_basic"] = 10_000_000  # basic only: 2,000만 원 = 1,000만 government + 1,000만 sponsor

# Regional focus of the sponsors (002_b06218ffd7235423.txt): region and KSIC divisions.
SPONSOR_FOCUS = {
    "삼성전자": (Region.GYEONGBUK, {"26", "13"}),  # 전자·섬유
    "현대자동차": (Region.GYEONGGI, {"30", "29"}),  # 자동차부품·기계 (반월시화)
    "LG전자": (Region.CHUNGBUK, {"21", "20"}),  # 바이오의약·화장품
}
_REGIONS = "경기 7 경북 5 경남 5 충북 5 인천 2 충남 2 부산 1.5 대구 1.5 울산 1 "
_REGIONS += "광주 1 대전 1 전북 1 전남 1 강원 .6 서울 .6 세종 .3 제주 .3"
REGION_WEIGHTS = {
    Region(name): float(weight) for name, weight in zip(*[iter(_REGIONS.split())] * 2, strict=True)
}
# KSIC manufacturing sub-class (section C): name endings that suit it, and how common it is.
INDUSTRIES = [
    (code, tuple(endings.split("/")), int(weight))
    for code, endings, weight in (
        item.split(":")
        for item in (
            "10799:식품/푸드:1 13102:섬유/텍스:1 20423:코스메틱/뷰티:1 21210:제약/바이오:1 "
            "22241:플라스틱/폴리텍:2 24222:메탈/금속:2 25921:열처리/금속:2 25934:정밀/하이텍:3 "
            "26211:전자/일렉트론:2 26429:통신/전자:1 28111:전기/파워텍:2 29199:기계/엔지니어링:3 "
            "29271:산업/기계:2 30320:오토텍/모터스:2 30399:정공/오토파츠:3"
        ).split()
    )
]
NAME_HEADS = (
    "한빛 대성 동양 신흥 삼화 우진 태광 세진 대원 성우 미래 금강 동진 한솔 영신 일진 청우 광명 보성 두원 "
    "진영 유성 화신 서진 경동 아진 해성 새한 정우 은성 하나 다온 누리 가람 제일 대풍 상원 명진 현성 아름"
).split()
FAMILY_NAMES, GIVEN_FIRST, GIVEN_SECOND = (
    "김이박최정강조윤장임한오서신권황안송류홍",
    "민서지현준영수성동재혜경상진우태",
    "호수진희영철민우석훈아연숙환규",
)
SUPPLIERS = [  # name, solution areas, region
    (name, areas.split(","), Region(region))
    for name, areas, region in (
        item.split(":")
        for item in (
            "큐브엠이에스:MES,POP:경기 누리스마트솔루션:MES,ERP,SCM:서울 한결시스템:ERP,PLM:대전 "
            "다온팩토리:MES,QMS,iot:경남 비전아이텍:vision,QMS:경북 "
            "에이치에스오토메이션:automation,iot:인천 제이원데이터:ERP,SCM:서울 그린에너지랩:FEMS,iot:충북 "
            "라온씨앤에스:MES,PLM,QMS:부산 모션로직스:automation,vision:경기"
        ).split()
    )
]
# (username, role, full name, options); one login per role is printed by the command.
USERS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("admin", Role.STAFF, "관리자", {"is_superuser": True, "is_staff": True}),
    ("staff", Role.STAFF, "김사업", {"agency": AGENCIES[0]}),
    ("staff-kbiz", Role.STAFF, "박협력", {"agency": AGENCIES[1]}),
    ("ministry", Role.MINISTRY, "정감독", {}),
    *[
        (f"evaluator{i}", Role.EVALUATOR, name, {})
        for i, name in enumerate("최평가 박심사 이위원 정검토 한자문".split(), 1)
    ],
    ("applicant", Role.APPLICANT, "오신청", {"company": True}),
    ("sponsor-ls", Role.SPONSOR, "윤주관", {"sponsor": "LS ELECTRIC"}),
    *[(f"mentor{i}", Role.MENTOR, name, {}) for i, name in enumerate("강멘토 서마이스터 임코치".split(), 1)],
]
EVALUATORS = [username for username, role, *_ in USERS if role == Role.EVALUATOR]
MENTOR_USERS = [(username, name) for username, role, name, _ in USERS if role == Role.MENTOR]
# 15 mentors: independent (None), from a sponsor, or from a supplier.
MENTOR_AFFILIATIONS = [None, None, "LS ELECTRIC", "삼성전자", "현대자동차", "LG전자", "포스코", "삼성전자"]
MENTOR_AFFILIATIONS += ["큐브엠이에스", "비전아이텍"] + [None] * 5

SELECTED_OR_LATER = (S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED)
# Selected once: also the project whose agreement was terminated (협약해지).
EVER_SELECTED = (*SELECTED_OR_LATER, S.TERMINATED)
MENTORED = (S.SELECTED, S.AGREEMENT, S.BUILDING)
SOLUTIONS = ["MES", "ERP", "POP", "비전검사", "설비 IoT 모니터링", "FEMS", "QMS", "PLM", "설비자동화"]
GOALS = "생산관리 고도화/품질 추적성 확보/불량률 저감/에너지 사용 최적화/납기 준수율 향상/원가 절감".split(
    "/"
)


def rng_for(part: str) -> random.Random:
    """A generator of its own for each part, so that changing one part leaves the others as they are."""
    return random.Random(f"{SEED}:{part}")  # noqa: S311 (demo data, not secrets)


def at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """An office-hours moment of `day` in the project's time zone."""
    moment = datetime.time(rng.randint(9, 17), rng.randrange(0, 60, 5))
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def business_numbers(rng: random.Random):
    """Valid, distinct, invented 사업자등록번호 (docs/domain.md §6)."""
    seen = set()
    while True:
        kind = rng.choice((81, 86, 87, 1, 5, 12, 25))
        first_nine = f"{rng.randint(101, 899):03d}{kind:02d}{rng.randint(0, 9999):04d}"
        number = first_nine + str(check_digit(first_nine))
        if number not in seen:
            seen.add(number)
            yield number


def person_name(rng: random.Random) -> str:
    return rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


def build(today: datetime.date) -> dict:
    """The catalogue and the applications; `today` only moves the dates of this year's programs."""
    numbers = business_numbers(rng_for("business-numbers"))
    data = {
        "agencies": [{"name": name} for name in AGENCIES],
        "sponsors": [
            {"name": name, "business_number": next(numbers), "kind": "large"} for name in SPONSOR_NAMES
        ],
        "suppliers": [
            {"name": name, "business_number": next(numbers), "solution_areas": areas, "region": region.value}
            for name, areas, region in SUPPLIERS
        ],
        "programs": programs(today),
        "companies": companies(numbers),
        "mentors": mentors(),
    }
    data["contributions"] = [c for p in data["programs"] for c in p["_contributions"]]
    data["demo_company"] = data["companies"][0]["business_number"]
    data["applications"] = applications(data, today)
    return data


# --- Programs and contributions (docs/domain.md §13) ---------------------------------------------------


def staff_of(agency: str) -> str:
    """The username of the demo login that acts for `agency`'s programs."""
    return AGENCY_STAFF.get(agency, "admin")


def _program(slug, sponsor, agency, year, title, status, window, policy, gov_budget, description, **extra):
    """A program row; `_mix` says how many of its applications are in each status."""
    row = {
        "_slug": slug,
        "sponsor": sponsor,
        "agency": agency,
        "year": year,
        "title": title,
        "status": status,
    }
    row |= {"opens_on": window[0], "closes_on": window[1], "gov_budget": gov_budget, **policy}
    row |= {"track": extra.pop("track", ""), "description": description + " " + DEMO_NOTE}
    contributions = extra.pop("contributions", [])
    for contribution in contributions:
        contribution |= {"program": slug, "sponsor": sponsor, "kind": "cash", "recorded_by": staff_of(agency)}
    row |= {"_contributions": contributions, "_mix": {}, "_levels": None, "_demo_status": None}
    return row | {f"_{key}": value for key, value in extra.items()}


def _contribution(amount, purpose, received_on, note) -> dict:
    return {"amount": amount, "purpose": purpose, "received_on": received_on, "note": note}


def _ls_program(year: int, amount: int, policy: dict, description: str, **extra) -> dict:
    note = f"LS ELECTRIC {year}년 협력기금 출연 {amount // EOK}억 원 (출처: {LS_SOURCE}; 입금일은 데모용)"
    return _program(
        f"ls-{year}",
        "LS ELECTRIC",
        AGENCIES[0],
        year,
        "LS ELECTRIC 상생형 스마트공장 구축지원사업",
        "archived",
        (datetime.date(year, 3, 2), datetime.date(year, 4, 10)),
        policy,
        amount,  # the government matches the contribution (데모용 가정)
        description,
        contributions=[_contribution(amount, "build", datetime.date(year, 7, 20), note)],
        mix={S.COMPLETED: 22, S.REJECTED: 5, S.WITHDRAWN: 3},
        **extra,
    )


def programs(today: datetime.date) -> list[dict]:
    """The §13 facts; government budgets and the contributions marked so are demo figures."""
    samsung_note = f"2022년까지 {{}} 출연 (출처: {SAMSUNG_SOURCE}; 입금일은 데모용)"
    march_end = datetime.date(2022, 3, 31)
    return [
        _ls_program(2020, 30 * EOK, POLICY_334, "LS ELECTRIC 협력기금 30억 원 (2020)."),
        _ls_program(2021, 33 * EOK, POLICY_334, "LS ELECTRIC 협력기금 33억 원 (2021).",
                    demo_status=S.COMPLETED),
        _ls_program(2022, 30 * EOK, POLICY_TYPE1, f"협력기금 30억 원, 64개 중소기업 지원 ({LS_SOURCE}).",
                    track="유형1"),
        _program(
            "samsung-2022", "삼성전자", AGENCIES[1], 2022,
            "삼성전자 상생형 스마트공장 지원사업", "archived",
            (datetime.date(2022, 2, 14), datetime.date(2022, 3, 25)), POLICY_334, 500 * EOK,
            f"2018년 상생협약(정부:대기업:중소기업 = 3:3:4, {SAMSUNG_SOURCE})에 따른 사업.",
            contributions=[
                _contribution(500 * EOK, "build", march_end, samsung_note.format("스마트공장 보급 500억 원")),
                _contribution(100 * EOK, "market", march_end, samsung_note.format("판로지원 100억 원")),
            ],
            mix={S.COMPLETED: 32, S.REJECTED: 5, S.WITHDRAWN: 3},
        ),
        _program(
            "posco-2022", "포스코", AGENCIES[2], 2022,
            "포스코 상생형 스마트공장 구축사업 (유형2)", "archived",
            (datetime.date(2022, 4, 4), datetime.date(2022, 5, 13)), POLICY_TYPE2, 5 * EOK,
            "소규모 기업 기초 수준 지원 (2,000만 원 = 정부 50% + 주관기관 50%).", track="유형2",
            contributions=[_contribution(5 * EOK, "build", datetime.date(2022, 6, 30), DEMO_FIGURE)],
            mix={S.COMPLETED: 16, S.REJECTED: 2, S.WITHDRAWN: 2}, levels=["basic"],
        ),
        _program(
            "hyundai-now", "현대자동차", AGENCIES[1], today.year,
            "현대자동차 상생형 스마트공장 구축사업", "closed",
            (today - 200 * DAY, today - 150 * DAY), POLICY_TYPE1, 30 * EOK,
            "자동차부품·기계 업종 중점 지원 (반월시화).", track="유형1",
            contributions=[_contribution(30 * EOK, "build", today - 210 * DAY, DEMO_FIGURE)],
            mix={S.EVALUATION: 4, S.SELECTED: 6, S.AGREEMENT: 6, S.BUILDING: 8, S.COMPLETION_REVIEW: 4,
                 S.COMPLETED: 2, S.REJECTED: 6, S.WITHDRAWN: 2, S.TERMINATED: 1},
            # The demo company's agreement waits for its signature here (SPEC §16).
            demo_status=S.SELECTED,
        ),
        _program(
            "ls-now", "LS ELECTRIC", AGENCIES[0], today.year,
            "LS ELECTRIC 상생형 스마트공장 구축지원사업", "open",
            (today - 14 * DAY, today + 30 * DAY), POLICY_TYPE1, 30 * EOK,
            "모집 중인 데모 사업 (정부 매칭 예산과 출연금은 데모용 가상 금액).", track="유형1",
            # Recorded through the contribution service, as staff would: the pot a newcomer selects from.
            recorded=[_contribution(20 * EOK, "build", today - 10 * DAY, DEMO_FIGURE)],
            mix={S.DRAFT: 8, S.SUBMITTED: 8, S.SCREENING: 6, S.CHANGES_REQUESTED: 4, S.EVALUATION: 6,
                 S.REJECTED: 2, S.WITHDRAWN: 2, S.SELECTED: 2},  # 수시 선정: agreements for `staff`
            demo_status=S.DRAFT,
        ),
        _program(
            "lg-next", "LG전자", AGENCIES[0], today.year,
            "LG전자 상생형 스마트공장 구축사업 (2차)", "draft",
            (today + 30 * DAY, today + 75 * DAY), POLICY_TYPE1, 20 * EOK,
            "바이오의약·화장품 업종 중점 지원 (충북). 공고 준비 중.", track="유형1",
        ),
    ]  # fmt: skip


# --- Companies and mentors -------------------------------------------------------------------


def companies(numbers) -> list[dict]:
    """200 invented SMEs, biased toward 경기, 경북, 경남 and 충북; some are partners of a sponsor."""
    rng = rng_for("companies")
    rows: list[dict] = []
    names: set[str] = set()
    while len(rows) < 200:
        code, endings, _ = rng.choices(INDUSTRIES, weights=[weight for *_, weight in INDUSTRIES])[0]
        name = rng.choice(NAME_HEADS) + rng.choice(endings)
        region = rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()))[0]
        if name not in names:
            names.add(name)
            rows.append(_company(rng, next(numbers), name, region, code))
    return rows


def _company(rng: random.Random, number: str, name: str, region: Region, code: str) -> dict:
    employees = int(rng.triangular(5, 280, 35))
    levels = ["none", "basic", "intermediate1", "intermediate2", "advanced"]
    partner_of = _partner_of(rng, region, code)
    return {
        "business_number": number,
        "name": name,
        "representative": person_name(rng),
        "region": region.value,
        "industry_code": code,
        "employees": employees,
        "annual_revenue": employees * rng.randint(120, 350) * 1_000_000,
        "founded_on": datetime.date(rng.randint(1978, 2021), rng.randint(1, 12), rng.randint(1, 28)),
        "current_level": rng.choices(levels, weights=[35, 35, 20, 8, 2])[0],
        "is_sponsor_partner": partner_of is not None,
        "partner_of": partner_of,
    }


def _partner_of(rng: random.Random, region: str, code: str) -> str | None:
    for sponsor, (focus_region, divisions) in SPONSOR_FOCUS.items():
        if region == focus_region and code[:2] in divisions and rng.random() < 0.5:
            return sponsor
    return rng.choice(["LS ELECTRIC", "포스코"]) if rng.random() < 0.08 else None


def mentors() -> list[dict]:
    """15 invented mentors: the first three sign in; some belong to a sponsor, two to a supplier."""
    rng = rng_for("mentors")
    divisions = sorted({code[:2] for code, *_ in INDUSTRIES})
    regions = [region.value for region in REGION_WEIGHTS]
    expertise = ["process", "quality", "automation", "mes", "erp", "maintenance", "safety", "energy"]
    suppliers = [name for name, *_ in SUPPLIERS]
    rows, names = [], {name for _, name in MENTOR_USERS}
    for i, affiliation in enumerate(MENTOR_AFFILIATIONS):
        username, name = MENTOR_USERS[i] if i < len(MENTOR_USERS) else (None, person_name(rng))
        while username is None and name in names:
            name = person_name(rng)
        names.add(name)
        # mentor1 covers every industry and region, so that its demo login always has work.
        everywhere = i == 0
        rows.append({
            "user": username,
            "name": name,
            "sponsor": affiliation if affiliation in SPONSOR_NAMES else None,
            "supplier": affiliation if affiliation in suppliers else None,
            "affiliation": affiliation or "스마트 마이스터 (독립)",
            "expertise": sorted(rng.sample(expertise, rng.randint(2, 4))),
            "ksic_divisions": divisions if everywhere else sorted(rng.sample(divisions, rng.randint(2, 5))),
            "regions": regions if everywhere else sorted(rng.sample(regions, rng.randint(2, 5))),
            "capacity": 3 if everywhere else rng.choice([2, 2, 3]),
            "bio": f"제조 현장 {rng.randint(15, 32)}년 경력 (데모용 가상 인물)",
        })  # fmt: skip
    return rows


# --- Applications (docs/domain.md §4) ----------------------------------------------------------------


def applications(data: dict, today: datetime.date) -> list[dict]:
    """Each program's mix of statuses over distinct companies: one application per company and program."""
    rng = rng_for("applications")
    demo, *others = sorted(data["companies"], key=lambda c: c["business_number"] != data["demo_company"])
    suppliers = [supplier["name"] for supplier in data["suppliers"]]
    rows = []
    for program in data["programs"]:
        statuses = [status for status, count in program["_mix"].items() for _ in range(count)]
        chosen = _weighted_sample(rng, others, len(statuses), program["sponsor"])
        if program["_demo_status"]:
            statuses, chosen = [*statuses, program["_demo_status"]], [*chosen, demo]
        for company, status in zip(chosen, statuses, strict=True):
            row = _application(rng, program, company, status, today)
            row["supplier"] = None if status == S.DRAFT and rng.random() < 0.5 else rng.choice(suppliers)
            row["created_by"] = "applicant" if company is demo else None
            rows.append(row)
    _rework(rows, today)
    return rows


REWORK_DUE_DAYS = 21


def _rework(rows: list[dict], today: datetime.date) -> None:
    """One project being built again after its completion inspection asked for 보완 (SPEC §17):
    the first one being built of this year's closed program, due in three weeks."""
    building = [row for row in rows if row["program"] == "hyundai-now" and row["status"] == S.BUILDING]
    building[0] |= {"_reworked": True, "changes_due_on": today + REWORK_DUE_DAYS * DAY}


def _weighted_sample(rng: random.Random, companies: list[dict], count: int, sponsor: str) -> list[dict]:
    """`count` distinct companies, favouring the sponsor's focus region, industries and partners."""
    region, divisions = SPONSOR_FOCUS.get(sponsor, (None, set()))
    focus = [(c["region"] == region) + (c["industry_code"][:2] in divisions) + (c["partner_of"] == sponsor)
             for c in companies]  # fmt: skip
    weights = [1 + 3 * matches for matches in focus]
    # Efraimidis–Spirakis: the largest u ** (1 / w) are a weighted sample without replacement.
    keys = [rng.random() ** (1 / weight) for weight in weights]
    ranked = sorted(zip(keys, companies, strict=True), key=lambda pair: pair[0], reverse=True)
    return [company for _, company in ranked[:count]]


def _application(rng, program, company, status, today) -> dict:
    last_day = min(program["closes_on"], today - 3 * DAY)
    submitted_on = program["opens_on"] + rng.randint(0, max(0, (last_day - program["opens_on"]).days)) * DAY
    decided_on = None
    if status in (*EVER_SELECTED, S.REJECTED):
        if program["closes_on"] >= today:  # still open: rejected at screening, soon after submission
            decided_on = submitted_on + rng.randint(1, 2) * DAY
        else:
            decided_on = program["closes_on"] + rng.randint(25, 40) * DAY
    level = rng.choice(program["_levels"]) if program["_levels"] else _level(rng, company)
    solution, goal = rng.choice(SOLUTIONS), rng.choice(GOALS)
    draft = status == S.DRAFT
    return {
        "program": program["_slug"],
        "_agency": program["agency"],
        "company": company["business_number"],
        "level": level,
        "title": f"{solution} 도입을 통한 {goal}",
        "plan": f"{company['name']}의 {goal}을 위해 {solution}을(를) 구축합니다. (데모용 가상 계획)",
        "total_cost": None if draft and rng.random() < 0.3 else _total_cost(rng, level, program),
        "wants_mentoring": rng.random() < 0.6,
        "status": status,
        "score": None,
        "submitted_at": None if draft else at(submitted_on, rng),
        "decided_at": at(decided_on, rng) if decided_on else None,
        "_evaluated": status in (*EVER_SELECTED, S.EVALUATION)
        or (status == S.REJECTED and program["closes_on"] < today and rng.random() < 0.6),
    }


# --- Status history (docs/domain.md §4): the workflow actions that took each application to its status

_EVALUATED = ["submit", "start_screening", "start_evaluation"]
_BUILDING = [*_EVALUATED, "select", "sign_agreement", "start_build"]
WORKFLOW_PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.SCREENING: ["submit", "start_screening"],
    S.CHANGES_REQUESTED: ["submit", "start_screening", "request_changes"],
    S.EVALUATION: _EVALUATED,
    S.SELECTED: [*_EVALUATED, "select"],
    S.AGREEMENT: [*_EVALUATED, "select", "sign_agreement"],
    S.BUILDING: _BUILDING,
    S.COMPLETION_REVIEW: [*_BUILDING, "submit_completion"],
    S.COMPLETED: [*_BUILDING, "submit_completion", "complete"],
    S.WITHDRAWN: ["submit", "withdraw"],
    # 협약해지 after a failed completion inspection (SPEC §17).
    S.TERMINATED: [*_BUILDING, "submit_completion", "terminate"],
}
REWORKED_PATH = [*_BUILDING, "submit_completion", "request_rework"]
WORKFLOW_NOTES = {
    "request_changes": "사업계획서의 기대효과 근거를 보완해 주세요. (데모)",
    "request_rework": (
        "완료점검 결과 데이터 수집이 확인되지 않았습니다. 설비 연동 후 재점검을 신청해 주세요. (데모)"
    ),
    "terminate": "완료점검 부적합: 설비 미설치·미가동으로 협약을 해지합니다. (데모)",
    "reject": "선정 기준 점수 미달 (데모)",
    "reject_at_screening": "신청 요건 미충족 (데모)",
}
DECISIONS = ("select", "reject")


def history(app: dict, now: datetime.datetime) -> list[tuple[str, datetime.datetime, str]]:
    """(action, when, note) from draft to the application's status: submitted at `submitted_at`, the
    steps up to the decision spread evenly until `decided_at` (a day apart when undecided), later
    steps three weeks apart; in order, and never later than `now`."""
    status = app["status"]
    if status == S.REJECTED:
        path = [*(_EVALUATED if app["_evaluated"] else _EVALUATED[:2]), "reject"]
    else:
        path = REWORKED_PATH if app.get("_reworked") else WORKFLOW_PATHS[status]
    submitted, decided = app["submitted_at"], app["decided_at"]
    decision = next((i for i, action in enumerate(path) if action in DECISIONS), None)
    steps = []
    for i, action in enumerate(path):
        if decided is None or decision is None:
            when = submitted + i * DAY
        elif i <= decision:
            when = submitted + (decided - submitted) * i / decision
        else:
            when = decided + (i - decision) * 21 * DAY
        when = min(when, now - (len(path) - i) * datetime.timedelta(minutes=1))
        note = WORKFLOW_NOTES.get(action, "")
        if action == "reject" and not app["_evaluated"]:
            note = WORKFLOW_NOTES["reject_at_screening"]
        steps.append((action, when, note))
    return steps


def _level(rng: random.Random, company: dict) -> str:
    """A level that suits the company's current one: basic, advanced1 or advanced2."""
    weights = {"none": (1, 0, 0), "basic": (6, 4, 0), "intermediate1": (0, 7, 3)}.get(
        company["current_level"]
    )
    return rng.choices(["basic", "advanced1", "advanced2"], weights=weights or (0, 4, 6))[0]


def _total_cost(rng: random.Random, level: str, program: dict) -> int:
    if program["sme_ratio"] == 0:  # 유형2: about 2,000만 원
        return rng.randrange(1_500 * MAN, 2_000 * MAN + 1, 10 * MAN)
    ranges = {"basic": (4_000, 13_000), "advanced1": (15_000, 40_000), "advanced2": (40_000, 80_000)}
    low, high = ranges[level]  # 만 원
    odd = rng.randint(1, 99_999) if rng.random() < 0.2 else 0  # quotes are not always round
    return rng.randrange(low * MAN, high * MAN, 10 * MAN) + odd
