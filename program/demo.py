"""The demo data of `manage.py seed_demo` (SPEC §12–§13), described without touching the database.

Everything is a function of fixed seeds and today's date, so two runs on the same day describe
exactly the same rows. Facts about real companies come from shared/seeds and name their source;
every other figure, name and business number is invented and says so (데모용).
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from accounts.models import Role
from applicants.business_number import check_digit
from applicants.models import Application
from program.choices import Region
from program.models import DEFAULT_RUBRIC

S = Application.Status
SEED = 2026
DEMO_PASSWORD = "demo-pass-2026"
EOK = 100_000_000  # 1억 원
MAN = 10_000  # 1만 원
DEMO_FIGURE = "데모용 가상 금액"
DEMO_NOTE = "※ 이 사업의 신청기업·과제·점수·성과는 모두 데모용 가상 데이터입니다."

AGENCY_KOSHARE = "대·중소기업·농어업협력재단"
AGENCY_KBIZ = "중소기업중앙회"
AGENCY_KCCI = "대한상공회의소"
AGENCIES = [AGENCY_KOSHARE, AGENCY_KBIZ, AGENCY_KCCI]
SPONSOR_NAMES = ["LS ELECTRIC", "삼성전자", "포스코", "현대자동차", "LG전자"]

# Cost-share policies of SPEC §3.1.
POLICY_334 = {"gov_ratio": 30, "sponsor_ratio": 30, "sme_ratio": 40, "cap_excess_to": "sme"}
POLICY_TYPE1 = {
    **POLICY_334,
    "gov_cap_basic": 42_000_000,
    "gov_cap_advanced1": 120_000_000,
    "gov_cap_advanced2": 240_000_000,
    "cap_excess_to": "sponsor",
}
POLICY_TYPE2 = {
    "gov_ratio": 50,
    "sponsor_ratio": 50,
    "sme_ratio": 0,
    "gov_cap_basic": 10_000_000,
    "cap_excess_to": "sponsor",
}

# Regional focus of the sponsors (002_b06218ffd7235423.txt): region and KSIC divisions.
SPONSOR_FOCUS = {
    "삼성전자": (Region.GYEONGBUK, {"26", "13"}),  # 전자·섬유
    "현대자동차": (Region.GYEONGGI, {"30", "29"}),  # 자동차부품·기계 (반월시화)
    "LG전자": (Region.CHUNGBUK, {"21", "20"}),  # 바이오의약·화장품
}

REGION_WEIGHTS = {
    Region.GYEONGGI: 7, Region.GYEONGBUK: 5, Region.GYEONGNAM: 5, Region.CHUNGBUK: 5,
    Region.INCHEON: 2, Region.CHUNGNAM: 2, Region.BUSAN: 1.5, Region.DAEGU: 1.5, Region.ULSAN: 1,
    Region.GWANGJU: 1, Region.DAEJEON: 1, Region.JEONBUK: 1, Region.JEONNAM: 1, Region.GANGWON: 0.6,
    Region.SEOUL: 0.6, Region.SEJONG: 0.3, Region.JEJU: 0.3,
}  # fmt: skip

# KSIC manufacturing sub-classes (section C) with name endings that suit them, and a weight.
INDUSTRIES = [
    ("10799", ("식품", "푸드"), 1), ("13102", ("섬유", "텍스"), 1), ("20423", ("코스메틱", "뷰티"), 1),
    ("21210", ("제약", "바이오"), 1), ("22241", ("플라스틱", "폴리텍"), 2), ("24222", ("메탈", "금속"), 2),
    ("25921", ("열처리", "금속"), 2), ("25934", ("정밀", "하이텍"), 3), ("26211", ("전자", "일렉트론"), 2),
    ("26429", ("통신", "전자"), 1), ("28111", ("전기", "파워텍"), 2), ("29199", ("기계", "엔지니어링"), 3),
    ("29271", ("산업", "기계"), 2), ("30320", ("오토텍", "모터스"), 2), ("30399", ("정공", "오토파츠"), 3),
]  # fmt: skip
NAME_HEADS = (
    "한빛 대성 동양 신흥 삼화 우진 태광 세진 대원 성우 미래 금강 동진 한솔 영신 일진 청우 광명 보성 두원 "
    "진영 유성 화신 서진 경동 아진 해성 새한 정우 은성 하나 다온 누리 가람 제일 대풍 상원 명진 현성 아름"
).split()
FAMILY_NAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_FIRST = "민서지현준영수성동재혜경상진우태"
GIVEN_SECOND = "호수진희영철민우석훈아연숙환규"

SUPPLIER_NAMES = [
    ("큐브엠이에스", ["MES", "POP"], Region.GYEONGGI),
    ("누리스마트솔루션", ["MES", "ERP", "SCM"], Region.SEOUL),
    ("한결시스템", ["ERP", "PLM"], Region.DAEJEON),
    ("다온팩토리", ["MES", "QMS", "iot"], Region.GYEONGNAM),
    ("비전아이텍", ["vision", "QMS"], Region.GYEONGBUK),
    ("에이치에스오토메이션", ["automation", "iot"], Region.INCHEON),
    ("제이원데이터", ["ERP", "SCM"], Region.SEOUL),
    ("그린에너지랩", ["FEMS", "iot"], Region.CHUNGBUK),
    ("라온씨앤에스", ["MES", "PLM", "QMS"], Region.BUSAN),
    ("모션로직스", ["automation", "vision"], Region.GYEONGGI),
]

# (username, role, full name, extra); one login per role is printed by the command.
USERS = [
    ("admin", Role.STAFF, "관리자", {"is_superuser": True, "is_staff": True}),
    ("staff", Role.STAFF, "김사업", {}),
    *[(f"evaluator{i}", Role.EVALUATOR, name, {}) for i, name in enumerate("최평가 박심사 이위원 정검토 한자문".split(), 1)],
    ("applicant", Role.APPLICANT, "오신청", {"company": "demo"}),
    ("sponsor-ls", Role.SPONSOR, "윤주관", {"sponsor": "LS ELECTRIC"}),
    *[(f"mentor{i}", Role.MENTOR, name, {}) for i, name in enumerate("강멘토 서마이스터 임코치".split(), 1)],
]


def rng_for(part: str) -> random.Random:
    """A generator of its own for each part, so that changing one part leaves the others as they are."""
    return random.Random(f"{SEED}:{part}")  # noqa: S311 (demo data, not secrets)


def at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """An office-hours moment of `day` in the project's time zone."""
    moment = datetime.time(rng.randint(9, 17), rng.randrange(0, 60, 5))
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def business_numbers(rng: random.Random):
    """Valid, distinct, invented 사업자등록번호 (SPEC §6)."""
    seen = set()
    while True:
        first_nine = f"{rng.randint(101, 899):03d}{rng.choice((81, 86, 87, 1, 5, 12, 25)):02d}{rng.randint(0, 9999):04d}"
        number = first_nine + str(check_digit(first_nine))
        if number not in seen:
            seen.add(number)
            yield number


def person_name(rng: random.Random) -> str:
    return rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


def sponsors() -> list[dict]:
    numbers = business_numbers(rng_for("sponsors"))
    return [{"name": name, "business_number": next(numbers), "kind": "large"} for name in SPONSOR_NAMES]


def _program(slug, sponsor, agency, year, title, status, window, policy, gov_budget, **extra) -> dict:
    opens_on, closes_on = window
    return {
        "slug": slug,
        "sponsor": sponsor,
        "agency": agency,
        "fields": {
            "year": year,
            "title": title,
            "status": status,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "gov_budget": gov_budget,
            "track": extra.pop("track", ""),
            "description": extra.pop("description", ""),
            **{"gov_cap_basic": None, "gov_cap_advanced1": None, "gov_cap_advanced2": None},
            **policy,
        },
        "contributions": extra.pop("contributions", []),
        "mix": extra.pop("mix", {}),  # application status → how many
        "levels": extra.pop("levels", None),  # the only support levels offered, if restricted
        "demo_status": extra.pop("demo_status", None),  # the demo applicant's application here
    }


def _contribution(amount, purpose, received_on, note) -> dict:
    return {"amount": amount, "purpose": purpose, "kind": "cash", "received_on": received_on, "note": note}


def _ls_program(year, amount, policy, **extra) -> dict:
    source = "000_5e40e115afed62fd.txt"
    note = f"LS ELECTRIC {year}년 협력기금 출연 {amount // EOK}억 원 (출처: seeds/{source}; 입금일은 데모용)"
    return _program(
        f"ls-{year}", "LS ELECTRIC", AGENCY_KOSHARE, year, "LS ELECTRIC 상생형 스마트공장 구축지원사업",
        "archived", (datetime.date(year, 3, 2), datetime.date(year, 4, 10)), policy, amount,
        contributions=[_contribution(amount, "build", datetime.date(year, 7, 20), note)],
        mix={S.COMPLETED: 22, S.REJECTED: 5, S.WITHDRAWN: 3}, **extra,
    )  # fmt: skip


def programs(today: datetime.date) -> list[dict]:
    days = datetime.timedelta
    samsung_note = "2022년까지 스마트공장 보급 500억 원 출연 (출처: seeds/004_e1749d6a5d79999c.txt; 입금일은 데모용)"
    market_note = "2022년까지 판로지원 100억 원 출연 (출처: seeds/004_e1749d6a5d79999c.txt; 입금일은 데모용)"
    return [
        _ls_program(2020, 30 * EOK, POLICY_334, description="LS ELECTRIC 협력기금 30억 원 (2020). " + DEMO_NOTE),
        _ls_program(2021, 33 * EOK, POLICY_334, description="LS ELECTRIC 협력기금 33억 원 (2021). " + DEMO_NOTE,
                    demo_status=S.COMPLETED),
        _ls_program(2022, 30 * EOK, POLICY_TYPE1, track="유형1", description=(
            "2022년 협력기금 30억 원 출연, 64개 중소기업 지원 계획 (출처: seeds/000_5e40e115afed62fd.txt). "
            + DEMO_NOTE)),
        _program(
            "samsung-2022", "삼성전자", AGENCY_KBIZ, 2022, "삼성전자 상생형 스마트공장 지원사업", "archived",
            (datetime.date(2022, 2, 14), datetime.date(2022, 3, 25)), POLICY_334, 500 * EOK,
            description="2018년 상생협약(정부:대기업:중소기업 = 3:3:4)에 따른 사업 (출처: seeds/004). " + DEMO_NOTE,
            contributions=[_contribution(500 * EOK, "build", datetime.date(2022, 3, 31), samsung_note),
                           _contribution(100 * EOK, "market", datetime.date(2022, 3, 31), market_note)],
            mix={S.COMPLETED: 32, S.REJECTED: 5, S.WITHDRAWN: 3},
        ),
        _program(
            "posco-2022", "포스코", AGENCY_KCCI, 2022, "포스코 상생형 스마트공장 구축사업 (유형2 소규모)", "archived",
            (datetime.date(2022, 4, 4), datetime.date(2022, 5, 13)), POLICY_TYPE2, 5 * EOK, track="유형2",
            description="소규모 기업 대상 기초 수준 지원 (총 2,000만 원, 정부 50%·주관기관 50%). " + DEMO_NOTE,
            contributions=[_contribution(5 * EOK, "build", datetime.date(2022, 6, 30), DEMO_FIGURE)],
            mix={S.COMPLETED: 16, S.REJECTED: 2, S.WITHDRAWN: 2}, levels=["basic"],
        ),
        _program(
            "hyundai-now", "현대자동차", AGENCY_KCCI, today.year, "현대자동차 상생형 스마트공장 구축사업", "closed",
            (today - days(200), today - days(150)), POLICY_TYPE1, 30 * EOK, track="유형1",
            description="자동차부품·기계 업종 중점 지원 (반월시화). " + DEMO_NOTE,
            contributions=[_contribution(30 * EOK, "build", today - days(210), DEMO_FIGURE)],
            mix={S.EVALUATION: 4, S.SELECTED: 6, S.AGREEMENT: 6, S.BUILDING: 8, S.COMPLETION_REVIEW: 4,
                 S.COMPLETED: 2, S.REJECTED: 6, S.WITHDRAWN: 2},
        ),
        _program(
            "ls-now", "LS ELECTRIC", AGENCY_KOSHARE, today.year, "LS ELECTRIC 상생형 스마트공장 구축지원사업", "open",
            (today - days(14), today + days(30)), POLICY_TYPE1, 30 * EOK, track="유형1",
            description="올해 모집 중인 데모 사업입니다. 정부 매칭 예산은 데모용 가상 금액입니다. " + DEMO_NOTE,
            mix={S.DRAFT: 8, S.SUBMITTED: 8, S.SCREENING: 6, S.CHANGES_REQUESTED: 4, S.EVALUATION: 6,
                 S.REJECTED: 2, S.WITHDRAWN: 2},
            demo_status=S.DRAFT,
        ),
        _program(
            "lg-next", "LG전자", AGENCY_KOSHARE, today.year, "LG전자 상생형 스마트공장 구축사업 (2차 모집)", "draft",
            (today + days(30), today + days(75)), POLICY_TYPE1, 20 * EOK, track="유형1",
            description="바이오의약·화장품 업종 중점 지원 (충북). 공고 준비 중. " + DEMO_NOTE,
        ),
    ]  # fmt: skip


def companies() -> list[dict]:
    rng, numbers = rng_for("companies"), business_numbers(rng_for("company-numbers"))
    regions, region_weights = list(REGION_WEIGHTS), list(REGION_WEIGHTS.values())
    names, rows = set(), []
    while len(rows) < 200:
        code, endings, _ = rng.choices(INDUSTRIES, weights=[w for *_, w in INDUSTRIES])[0]
        name = rng.choice(NAME_HEADS) + rng.choice(endings)
        region = rng.choices(regions, weights=region_weights)[0]
        if name in names:
            continue
        names.add(name)
        employees = int(rng.triangular(5, 280, 35))
        rows.append({
            "business_number": next(numbers),
            "name": name,
            "representative": person_name(rng),
            "region": region.value,
            "industry_code": code,
            "employees": employees,
            "annual_revenue": employees * rng.randint(120, 350) * 1_000_000,
            "founded_on": datetime.date(rng.randint(1978, 2021), rng.randint(1, 12), rng.randint(1, 28)),
            "current_level": rng.choices(
                ["none", "basic", "intermediate1", "intermediate2", "advanced"], weights=[35, 35, 20, 8, 2]
            )[0],
            "partner_of": _partner_of(rng, region, code),
        })  # fmt: skip
    for row in rows:
        row["is_sponsor_partner"] = row["partner_of"] is not None
    return rows


def _partner_of(rng: random.Random, region: str, code: str) -> str | None:
    for sponsor, (focus_region, divisions) in SPONSOR_FOCUS.items():
        if region == focus_region and code[:2] in divisions and rng.random() < 0.5:
            return sponsor
    return rng.choice(["LS ELECTRIC", "포스코"]) if rng.random() < 0.08 else None


def suppliers() -> list[dict]:
    numbers = business_numbers(rng_for("supplier-numbers"))
    return [
        {"name": name, "business_number": next(numbers), "solution_areas": areas, "region": region.value}
        for name, areas, region in SUPPLIER_NAMES
    ]


def mentors(supplier_rows: list[dict]) -> list[dict]:
    """~15 mentors: three with logins, some from sponsors, two from suppliers, the rest independent."""
    rng = rng_for("mentors")
    expertise = ["process", "quality", "automation", "mes", "erp", "maintenance", "safety", "energy"]
    divisions = sorted({code[:2] for code, *_ in INDUSTRIES})
    regions = [r.value for r in REGION_WEIGHTS]
    affiliations = [None, None, "LS ELECTRIC", "삼성전자", "현대자동차", "LG전자", "포스코", "삼성전자"]
    affiliations += [supplier_rows[0]["name"], supplier_rows[4]["name"]] + [None] * 5
    rows = []
    for i, affiliation in enumerate(affiliations):
        username = USERS[-3 + i][0] if i < 3 else None
        name = USERS[-3 + i][2] if i < 3 else person_name(rng)
        supplier = next((s["business_number"] for s in supplier_rows if s["name"] == affiliation), None)
        rows.append({
            "username": username,
            "name": name,
            "sponsor": affiliation if affiliation in SPONSOR_NAMES else None,
            "supplier": supplier,
            "affiliation": affiliation or "스마트 마이스터 (독립)",
            "expertise": sorted(rng.sample(expertise, rng.randint(2, 4))),
            # mentor1 covers every industry and region so the demo login always has work.
            "ksic_divisions": divisions if i == 0 else sorted(rng.sample(divisions, rng.randint(2, 5))),
            "regions": regions if i == 0 else sorted(rng.sample(regions, rng.randint(2, 5))),
            "capacity": 3 if i == 0 else rng.choice([2, 2, 3]),
            "bio": f"제조 현장 {rng.randint(15, 32)}년 경력 (데모용 가상 인물)",
        })  # fmt: skip
    return rows


def build(today: datetime.date) -> dict:
    """Every row of the demo, by natural keys; `today` only moves the current programs' dates."""
    supplier_rows = suppliers()
    company_rows = companies()
    data = {
        "agencies": AGENCIES,
        "sponsors": sponsors(),
        "programs": programs(today),
        "companies": company_rows,
        "suppliers": supplier_rows,
        "mentors": mentors(supplier_rows),
        "users": USERS,
        "demo_company": company_rows[0]["business_number"],
    }
    data.update(activity(data, today))
    return data


def decimal2(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


# --- Applications and what follows them --------------------------------------------------------

SELECTED_OR_LATER = (S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED)
MENTORED = (S.SELECTED, S.AGREEMENT, S.BUILDING)
EVALUATORS = [username for username, role, *_ in USERS if role == Role.EVALUATOR]
SOLUTIONS = ["MES", "ERP", "POP", "비전검사", "설비 IoT 모니터링", "FEMS", "QMS", "PLM", "설비자동화"]
GOALS = ["생산관리 고도화", "품질 추적성 확보", "불량률 저감", "에너지 사용 최적화", "납기 준수율 향상", "원가 절감"]
TOPICS = ["현장 진단", "공정 분석", "데이터 수집 점검", "작업표준 정비", "시스템 적용 점검", "성과지표 점검"]
COMMENTS = ["계획이 구체적임", "추진 역량 양호", "기대효과 산정 근거 보완 필요", "협력사 연계 우수", "일정 다소 촉박"]
# Mean relative change of each KPI for adopters, echoing the aggregate of 1,240 completed factories
# (productivity +25 %, defects −27.6 %, cost −29.2 %, lead time −19 %: 002_b06218ffd7235423.txt);
# the other means are invented. The rows themselves belong to invented companies.
KPI_CHANGE = {
    "productivity": 0.25, "defect_rate": -0.276, "unit_cost": -0.292, "lead_time": -0.19,
    "on_time_delivery": 0.05, "revenue": 0.12, "operating_profit": 0.15, "employees": 0.04,
    "rd_spend": 0.07, "accidents": -0.3,
}  # fmt: skip
KPI_BASELINE = {
    "productivity": lambda rng, c: rng.uniform(40, 400),
    "defect_rate": lambda rng, c: rng.uniform(0.8, 6.0),
    "unit_cost": lambda rng, c: rng.uniform(8_000, 250_000),
    "lead_time": lambda rng, c: rng.uniform(5, 30),
    "on_time_delivery": lambda rng, c: rng.uniform(78, 95),
    "revenue": lambda rng, c: c["annual_revenue"],
    "operating_profit": lambda rng, c: c["annual_revenue"] * rng.uniform(-0.02, 0.09),
    "employees": lambda rng, c: c["employees"],
    "rd_spend": lambda rng, c: c["annual_revenue"] * rng.uniform(0.005, 0.03),
    "accidents": lambda rng, c: rng.randint(0, 4),
}
NON_ADOPTER_KPIS = ["productivity", "revenue", "operating_profit", "employees", "rd_spend"]


def activity(data: dict, today: datetime.date) -> dict:
    apps = applications(data, today)
    by_bn = {c["business_number"]: c for c in data["companies"]}
    programs_by_slug = {p["slug"]: p for p in data["programs"]}
    assigned, scored = evaluations(apps)
    mentorings, sessions = mentoring(apps, data["mentors"], by_bn, today)
    return {
        "applications": apps,
        "evaluator_assignments": assigned,
        "evaluations": scored,
        "mentoring_assignments": mentorings,
        "mentoring_sessions": sessions,
        "outcomes": outcomes(apps, by_bn, programs_by_slug, today),
    }


def applications(data: dict, today: datetime.date) -> list[dict]:
    """Every program's mix of statuses over distinct companies: one application per company and program."""
    rng = rng_for("applications")
    demo = next(c for c in data["companies"] if c["business_number"] == data["demo_company"])
    others = [c for c in data["companies"] if c is not demo]
    rows = []
    for program in data["programs"]:
        statuses = [status for status, count in program["mix"].items() for _ in range(count)]
        chosen = _weighted_sample(rng, others, len(statuses), program["sponsor"])
        if program["demo_status"]:
            statuses.append(program["demo_status"])
            chosen.append(demo)
        for company, status in zip(chosen, statuses, strict=True):
            rows.append(_application(rng, program, company, status, data["suppliers"], today))
    return rows


def _weighted_sample(rng: random.Random, companies: list[dict], count: int, sponsor: str) -> list[dict]:
    """`count` distinct companies, favouring the sponsor's focus region, industries and partners."""
    region, divisions = SPONSOR_FOCUS.get(sponsor, (None, set()))

    def weight(c):
        focus = (c["region"] == region) + (c["industry_code"][:2] in divisions) + (c["partner_of"] == sponsor)
        return 1 + 3 * focus

    # Efraimidis–Spirakis: the largest u ** (1 / w) are a weighted sample without replacement.
    return sorted(companies, key=lambda c: rng.random() ** (1 / weight(c)), reverse=True)[:count]


def _application(rng, program, company, status, supplier_rows, today) -> dict:
    window = program["fields"]
    last_day = min(window["closes_on"], today - datetime.timedelta(days=3))
    submitted_on = window["opens_on"] + datetime.timedelta(
        days=rng.randint(0, max(0, (last_day - window["opens_on"]).days))
    )
    decided_on = _decided_on(rng, window, status, submitted_on, today)
    level = _level(rng, program, company)
    solution, goal = rng.choice(SOLUTIONS), rng.choice(GOALS)
    draft = status == S.DRAFT
    return {
        "program": program["slug"],
        "company": company["business_number"],
        "supplier": None if draft and rng.random() < 0.5 else rng.choice(supplier_rows)["business_number"],
        "evaluated": status in (*SELECTED_OR_LATER, S.EVALUATION)
        or (status == S.REJECTED and window["closes_on"] < today and rng.random() < 0.6),
        "fields": {
            "level": level,
            "title": f"{solution} 도입을 통한 {goal}",
            "plan": f"{company['name']}의 {goal}을 위해 {solution}을(를) 구축합니다. (데모용 가상 계획)",
            "total_cost": None if draft and rng.random() < 0.3 else _total_cost(rng, level, program),
            "wants_mentoring": rng.random() < 0.6,
            "status": status,
            "score": None,
            "submitted_at": None if draft else at(submitted_on, rng),
            "decided_at": at(decided_on, rng) if decided_on else None,
        },
    }


def _decided_on(rng, window, status, submitted_on, today) -> datetime.date | None:
    if status not in (*SELECTED_OR_LATER, S.REJECTED):
        return None
    if window["closes_on"] >= today:  # still open: rejected at screening, soon after submission
        return submitted_on + datetime.timedelta(days=rng.randint(1, 2))
    return window["closes_on"] + datetime.timedelta(days=rng.randint(25, 40))


def _level(rng: random.Random, program: dict, company: dict) -> str:
    if program["levels"]:
        return rng.choice(program["levels"])
    weights = {
        "none": (1, 0, 0),
        "basic": (6, 4, 0),
        "intermediate1": (0, 7, 3),
    }.get(company["current_level"], (0, 4, 6))
    return rng.choices(["basic", "advanced1", "advanced2"], weights=weights)[0]


def _total_cost(rng: random.Random, level: str, program: dict) -> int:
    if program["levels"] == ["basic"] and program["fields"]["sme_ratio"] == 0:  # 유형2: about 2,000만
        return rng.randrange(1_500 * MAN, 2_000 * MAN + 1, 10 * MAN)
    low, high = {"basic": (4_000, 13_000), "advanced1": (15_000, 40_000), "advanced2": (40_000, 80_000)}[level]
    odd = rng.randint(1, 99_999) if rng.random() < 0.2 else 0  # quotes are not always round
    return rng.randrange(low * MAN, high * MAN, 10 * MAN) + odd


def evaluations(apps: list[dict]) -> tuple[list[dict], list[dict]]:
    """A committee of five per evaluated application; scores over the default rubric."""
    rng = rng_for("evaluations")
    assigned, scored = [], []
    for app in apps:
        if not app["evaluated"]:
            continue
        status, key = app["fields"]["status"], (app["program"], app["company"])
        quality = rng.uniform(0.72, 0.93) if status in SELECTED_OR_LATER else rng.uniform(0.45, 0.8)
        bonus = rng.choice([0, 0, 3, 3, 6, 9])
        totals = []
        for i, evaluator in enumerate(EVALUATORS):
            assigned.append({"app": key, "evaluator": evaluator})
            if status == S.EVALUATION and rng.random() < (0.7 if i == 0 else 0.5):
                continue  # not scored yet: the committee is still at work
            row = _evaluation(rng, key, evaluator, quality, bonus)
            scored.append(row)
            if row["fields"]["total"] is not None:
                totals.append(row["fields"]["total"])
        if status != S.EVALUATION:
            app["fields"]["score"] = application_score(totals)
    return assigned, scored


def _evaluation(rng, key, evaluator, quality, bonus) -> dict:
    if rng.random() < 0.05:
        fields = {"conflict_of_interest": True, "scores": {}, "bonus": 0, "total": None, "comment": "이해충돌 신고"}
        return {"app": key, "evaluator": evaluator, "fields": fields}
    scores = {}
    for item in DEFAULT_RUBRIC:
        points = round(item["max_points"] * (quality + rng.gauss(0, 0.06)))
        scores[item["key"]] = max(0, min(item["max_points"], points))
    fields = {
        "conflict_of_interest": False,
        "scores": scores,
        "bonus": bonus,
        "total": sum(scores.values()) + bonus,
        "comment": rng.choice(COMMENTS),
    }
    return {"app": key, "evaluator": evaluator, "fields": fields}


def application_score(totals: list[int]) -> Decimal | None:
    """SPEC §5: the mean, dropping the single highest and lowest of 5 or more, to 2 decimals."""
    if not totals:
        return None
    if len(totals) >= 5:
        totals = sorted(totals)[1:-1]
    return (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mentoring(apps, mentor_rows, companies_by_bn, today) -> tuple[list[dict], list[dict]]:
    """Active mentoring for selected…building applications (within capacity), ended for some completed."""
    rng = rng_for("mentoring")
    load = {m["name"]: 0 for m in mentor_rows}
    assignments, sessions = [], []
    for app in apps:
        status, fields = app["fields"]["status"], app["fields"]
        active = status in MENTORED
        if not fields["wants_mentoring"] or not (active or (status == S.COMPLETED and rng.random() < 0.3)):
            continue
        company = companies_by_bn[app["company"]]
        # Never a mentor of the application's own supplier; never over a mentor's capacity.
        candidates = [m for m in mentor_rows if not (m["supplier"] and m["supplier"] == app["supplier"])]
        candidates = [m for m in candidates if not active or load[m["name"]] < m["capacity"]]
        candidates.sort(key=lambda m: (-_match(m, company), load[m["name"]]))
        if not active:
            rng.shuffle(candidates)
        for mentor in candidates[: 2 if rng.random() < 0.25 else 1]:
            load[mentor["name"]] += active
            starts_on, ends_on = _mentoring_window(rng, fields, active, today)
            key = (mentor["name"], app["program"], app["company"])
            status_row = "active" if active else "ended"
            assignments.append({"key": key, "fields": {"starts_on": starts_on, "ends_on": ends_on, "status": status_row}})
            sessions += _sessions(rng, key, starts_on, min(ends_on, today - datetime.timedelta(days=1)))
    return assignments, sessions


def _match(mentor: dict, company: dict) -> int:
    return 2 * (company["industry_code"][:2] in mentor["ksic_divisions"]) + (company["region"] in mentor["regions"])


def _mentoring_window(rng, fields, active, today) -> tuple[datetime.date, datetime.date]:
    """4 weeks to 6 months; an active one started lately and has at least two weeks to run."""
    if active:
        starts_on = today - datetime.timedelta(days=rng.randint(14, 60))
        shortest = max(28, (today - starts_on).days + 14)
    else:
        starts_on = timezone.localdate(fields["decided_at"]) + datetime.timedelta(days=30)
        shortest = 28
    return starts_on, starts_on + datetime.timedelta(days=rng.randint(shortest, 180))


def _sessions(rng, key, starts_on, last_day) -> list[dict]:
    rows = []
    held_on = starts_on + datetime.timedelta(days=7)
    while held_on <= last_day and len(rows) < 6:
        number = len(rows) + 1
        rows.append({
            "assignment": key,
            "fields": {
                "held_on": held_on,
                "hours": Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0", "4.0"])),
                "mode": rng.choice(["visit", "visit", "online"]),
                "notes": f"{number}회차: {rng.choice(TOPICS)}",
            },
        })  # fmt: skip
        held_on += datetime.timedelta(days=rng.randint(12, 21))
    return rows


def outcomes(apps, companies_by_bn, programs_by_slug, today) -> list[dict]:
    """KPIs of completed applications, and of some rejected or withdrawn ones as a comparison group."""
    rng = rng_for("outcomes")
    rows = []
    for app in apps:
        status = app["fields"]["status"]
        closes_on = programs_by_slug[app["program"]]["fields"]["closes_on"]
        adopter = status == S.COMPLETED
        long_ago = closes_on < today - datetime.timedelta(days=400)
        if not adopter and not (status in (S.REJECTED, S.WITHDRAWN) and long_ago and rng.random() < 0.4):
            continue
        kpis = rng.sample(list(KPI_CHANGE), rng.randint(6, 10)) if adopter else NON_ADOPTER_KPIS
        measured_on = min(closes_on + datetime.timedelta(days=365), today - datetime.timedelta(days=1))
        for kpi in kpis:
            baseline, result = _kpi_values(rng, kpi, companies_by_bn[app["company"]], 1.0 if adopter else 0.3)
            fields = {"baseline": baseline, "result": result, "baseline_on": closes_on, "measured_on": measured_on}
            rows.append({"app": (app["program"], app["company"]), "kpi": kpi, "fields": fields})
    return rows


def _kpi_values(rng, kpi, company, effect) -> tuple[Decimal, Decimal]:
    baseline = KPI_BASELINE[kpi](rng, company)
    change = effect * KPI_CHANGE[kpi] + rng.gauss(0, 0.05)
    result = baseline + abs(baseline) * change
    if kpi in ("employees", "accidents"):
        baseline, result = round(baseline), round(result)
    if kpi != "operating_profit":
        result = max(0, result)
    if kpi in ("defect_rate", "on_time_delivery"):
        result = min(99.9, result)
    return decimal2(baseline), decimal2(result)
