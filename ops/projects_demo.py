"""The demo after selection (SPEC §16, §17; issue 19 item 4), described without touching the database.

Every project from `selected` on gets its agreement (협약): drafted, sent, signed by the SME or
countersigned according to where it stands, with KPI targets better than their baselines; a few
have changes (an approved extension, a change rejected as filed too late, a supplier change waiting
for staff); every project that finished building has its completion report (완료보고서), and its
inspection (완료점검) when it has had one: passed for the completed, 보완 for the one being built
again, 부적합 for the terminated one. Dates follow each application's status history (ops.demo.history).

Who signs for the SME: its owner, an applicant user of the company. The demo company's is the
`applicant` login; every other company that signed gets an owner account of its own (`sme-<사업자번호>`)
that cannot sign in (no usable password): the signature must be by the company's side, never by
staff. The agreement PDFs and the hashes they are signed under are left empty here (see
`Seeder._agreement_documents`).
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from config.dates import add_months
from ops import demo
from ops.demo import DAY, S, rng_for
from program.choices import KPI_LOWER_IS_BETTER
from program.models import Program

BUILD_MONTHS = Program._meta.get_field("build_months").get_default()
MAX_EXTENSION_MONTHS = Program._meta.get_field("max_extension_months").get_default()
SIGNED = (S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED)
# KPIs a target can be set on from a baseline of its own (accidents: a baseline of 0 cannot improve).
TARGET_KPIS = ["productivity", "defect_rate", "unit_cost", "lead_time", "on_time_delivery", "revenue"]
SME_ADDRESS, AGENCY_ADDRESS = "203.0.113.{}", "198.51.100.{}"  # documentation ranges (RFC 5737)
HOUR = datetime.timedelta(hours=1)
WHOLE = {"unit_cost", "revenue", "operating_profit", "employees", "rd_spend", "accidents"}

INSPECTION_NOTES = {
    "pass": "설치·가동·데이터 수집 확인, 협약 성과목표 달성 확인. 적합. (데모)",
    "rework": demo.WORKFLOW_NOTES["request_rework"],
    "fail": demo.WORKFLOW_NOTES["terminate"],
}
LATE_NOTE = (
    "변경 사유 발생일로부터 15일이 지난 뒤 신청되어 반려합니다 (기한 경과, 세부관리기준 제29조). (데모)"
)
EXTENSION_NOTE = "설비 납기 지연이 확인되어 2개월 연장을 승인합니다. (데모)"


def sme_username(business_number: str) -> str:
    return f"sme-{business_number}"


def describe(data: dict, now: datetime.datetime, kpis: dict) -> None:
    """Add the project rows to `data` (and the outcomes a completion report needs to `data["outcomes"]`);
    `kpis` are seed_demo's KPIS: a KPI's mean change and how its baseline is drawn."""
    rng = rng_for("projects")
    today = timezone.localdate(now)
    # Before today, so that two runs on the same day describe the same moments.
    last_moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time())) - HOUR
    companies = {company["business_number"]: company for company in data["companies"]}
    outcomes: dict[tuple, list[dict]] = {}
    for row in data["outcomes"]:
        outcomes.setdefault(row["application"], []).append(row)
    rows: dict[str, list] = {key: [] for key in
                             ("sme_users", "agreements", "signatures", "changes", "inspections",
                              "completion_reports", "project_events")}  # fmt: skip
    owners: dict[str, str] = {}
    projects = [app for app in data["applications"] if app["status"] in (S.SELECTED, *SIGNED)]
    selected_seen: dict[str, int] = {}
    for app in projects:
        key = (app["program"], app["company"])
        steps = {action: when for action, when, _note in demo.history(app, now)}
        staff = demo.staff_of(app["_agency"])
        stage = _stage(app, selected_seen)
        if stage is None:
            continue
        owner = owners.get(app["company"]) or _owner(app, companies, owners, rows["sme_users"])
        selected_at = steps["select"]
        end_of_wait = steps.get("sign_agreement", last_moment)
        span = min(21 * DAY, end_of_wait - selected_at)
        sent_at, sme_at = selected_at + span * 0.25, selected_at + span * 0.6
        countersigned_at = steps.get("sign_agreement")
        starts_on = (countersigned_at or selected_at + 21 * DAY).date() + rng.randint(1, 5) * DAY
        months = BUILD_MONTHS if rng.random() < 0.8 else rng.randint(BUILD_MONTHS - 2, BUILD_MONTHS - 1)
        ends_on = add_months(starts_on, months)
        targets = _targets(rng, kpis, companies[app["company"]], outcomes.get(key))
        agreement = {
            "application": key, "status": stage, "starts_on": starts_on, "original_ends_on": ends_on,
            "ends_on": ends_on, "kpi_targets": targets, "supplier": app["supplier"],
            # document and document_sha256: made by seed_demo's _agreement_documents, never synced here
            "sent_at": None if stage == "draft" else sent_at,
            "countersigned_at": countersigned_at if stage == "countersigned" else None, "created_by": staff,
        }  # fmt: skip
        rows["agreements"].append(agreement)
        event = _events(rows["project_events"], "agreement", key)
        if stage != "draft":
            event("agreement.send", staff, sent_at, {"status": "draft"}, {"status": "sent"})
        if stage in ("signed_by_sme", "countersigned"):
            rows["signatures"].append(_signature(rng, key, "sme", owner, sme_at))
            event("agreement.sign", owner, sme_at, {"status": "sent"}, {"status": "signed_by_sme"})
        if stage == "countersigned":
            rows["signatures"].append(_signature(rng, key, "agency", staff, countersigned_at))
            event("agreement.countersign", staff, countersigned_at, {"status": "signed_by_sme"},
                  {"status": "countersigned"})  # fmt: skip
        if "submit_completion" in steps:
            _completion(rng, app, steps, staff, owner, agreement, outcomes, rows, today)
    _changes(rows, data["applications"], owners, today, rng)
    data["outcomes"] += [row for key, rows_of in outcomes.items() for row in rows_of if row.get("_added")]
    data.update(rows)


def _stage(app: dict, selected_seen: dict) -> str | None:
    """Where the application's agreement stands: countersigned once it is in `agreement` or later; of
    the selected, the demo company's waits for its signature, the first of the open program's waits
    for staff's countersignature, and the next ones are drafts (the rest have none yet)."""
    if app["status"] != S.SELECTED:
        return "countersigned"
    if app["created_by"] == "applicant":
        return "sent"
    index = selected_seen[app["program"]] = selected_seen.get(app["program"], -1) + 1
    if app["program"] == "ls-now":
        return "signed_by_sme" if index == 0 else "draft"
    return "draft" if index < 3 else None


def _owner(app: dict, companies: dict, owners: dict, users: list) -> str:
    """The company's owner login that signs: `applicant` for the demo company, else one of its own."""
    number = app["company"]
    if app["created_by"] == "applicant":
        owners[number] = "applicant"
    else:
        owners[number] = sme_username(number)
        users.append({
            "username": owners[number], "role": "applicant", "last_name": "", "is_active": True,
            "first_name": companies[number]["representative"], "email": f"{owners[number]}@sme.example",
            "company": number,
        })  # fmt: skip
    return owners[number]


def _events(events: list, kind: str, key) -> Callable:
    def event(action, actor, when, before, after, note=""):
        events.append({"kind": kind, "key": key, "action": action, "actor": actor, "when": when,
                       "before": before, "after": after, "note": note})  # fmt: skip

    return event


def _signature(rng: random.Random, key, party: str, username: str, when) -> dict:
    address = (SME_ADDRESS if party == "sme" else AGENCY_ADDRESS).format(rng.randint(2, 254))
    # document_sha256: the hash of the document made by seed_demo's _agreement_documents
    return {"agreement": key, "party": party, "user": username, "ip_address": address,
            "_signed_at": when}  # fmt: skip


def _better(kpi: str, value: Decimal, than: Decimal) -> bool:
    return value < than if kpi in KPI_LOWER_IS_BETTER else value > than


def _rounded(kpi: str, value) -> Decimal:
    return Decimal(round(value)) if kpi in WHOLE else Decimal(str(round(value, 2)))


def _targets(rng: random.Random, kpis: dict, company: dict, measured: list[dict] | None) -> list[dict]:
    """Three or four KPI targets, each better than its baseline in the KPI's direction. A completed
    project's are first the KPIs it measured and improved, with the same baselines, and met."""
    targets: list[dict] = []
    for row in measured or []:
        kpi, baseline, result = row["kpi"], row["baseline"], row["result"]
        target = _rounded(kpi, baseline + (result - baseline) * Decimal(str(rng.uniform(0.5, 0.9))))
        if not _better(kpi, target, baseline):
            target = result
        if _better(kpi, target, baseline) and len(targets) < 4:
            targets.append({"kpi": kpi, "baseline": str(baseline), "target": str(target)})
    if len(targets) >= 3:
        return targets
    taken = {row["kpi"] for row in measured or []}
    fresh = [kpi for kpi in TARGET_KPIS if kpi not in taken]
    for kpi in rng.sample(fresh, min(len(fresh), rng.choice([3, 3, 4]) - len(targets))):
        mean_change, baseline_of = kpis[kpi]
        baseline = _rounded(kpi, baseline_of(rng, company))
        if kpi == "on_time_delivery":
            target = min(Decimal("99.9"), _rounded(kpi, baseline * Decimal("1.05")))
        else:
            target = _rounded(kpi, baseline * Decimal(str(1 + mean_change * rng.uniform(0.6, 1.0))))
        targets.append({"kpi": kpi, "baseline": str(baseline), "target": str(target)})
    return targets


def _completion(rng, app, steps, staff, owner, agreement, outcomes, rows, today) -> None:
    """The completion report filed with `submit_completion`, the results of every KPI target (kept as
    outcomes), and the inspection that followed, if one did."""
    key, submitted_at = (app["program"], app["company"]), steps["submit_completion"]
    rows["completion_reports"].append({
        "application": key, "kind": "completion_report", "original_name": "완료보고서.pdf",
        "content_type": "application/pdf", "uploaded_by": owner, "_uploaded_at": submitted_at - DAY,
    })  # fmt: skip
    failed = app["status"] == S.TERMINATED
    measured = {row["kpi"] for row in outcomes.get(key, [])}
    for target in agreement["kpi_targets"]:
        if target["kpi"] in measured:
            continue
        baseline, goal = Decimal(target["baseline"]), Decimal(target["target"])
        result = baseline if failed else _rounded(target["kpi"], goal + (goal - baseline) * Decimal("0.1"))
        measured_on = min(submitted_at.date() - 2 * DAY, today - DAY)
        outcomes.setdefault(key, []).append({
            "application": key, "kpi": target["kpi"], "baseline": baseline, "result": result,
            "baseline_on": agreement["starts_on"] - DAY, "measured_on": measured_on, "entered_by": owner,
            "_added": True,
        })  # fmt: skip
    decided = {"complete": "pass", "request_rework": "rework", "terminate": "fail"}
    action = next((action for action in decided if action in steps), None)
    if action is None:
        return  # completion_review: waiting for staff's inspection
    verdict = decided[action]
    inspected_at = steps[action] - 2 * HOUR
    passed = verdict == "pass"
    rows["inspections"].append({
        "application": key, "installed": not failed, "operating": not failed, "data_collected": passed,
        "kpis": {target["kpi"]: passed for target in agreement["kpi_targets"]}, "audit_report": None,
        "result": verdict, "note": INSPECTION_NOTES[verdict],
        "rework_due": app.get("changes_due_on") if verdict == "rework" else None,
        "inspected_by": staff, "_created_at": inspected_at,
    })  # fmt: skip
    _events(rows["project_events"], "inspection", (key, INSPECTION_NOTES[verdict]))(
        "inspection.record", staff, inspected_at, {}, {"result": verdict}, INSPECTION_NOTES[verdict]
    )


def _changes(rows: dict, applications: list[dict], owners: dict, today: datetime.date, rng) -> None:
    """협약변경 (SPEC §16): an approved extension and a pending supplier change on projects being built,
    a change rejected as late on a project in `agreement`, all in this year's closed program."""
    ours = [app for app in applications if app["program"] == "hyundai-now" and not app.get("_reworked")]
    agreements = {row["application"]: row for row in rows["agreements"]}
    # A change is filed at least a month before the agreement ends (SPEC §16): on projects that end
    # later than five weeks from now.
    building = [app for app in ours if app["status"] == S.BUILDING
                and agreements[app["program"], app["company"]]["ends_on"] > today + 35 * DAY]  # fmt: skip
    waiting = next(app for app in ours if app["status"] == S.AGREEMENT)
    suppliers = sorted({row["supplier"] for row in rows["agreements"] if row["supplier"]})

    def change(app, kind, status, cause_on, requested_on, reason, **fields):
        key = (app["program"], app["company"])
        requested_at = demo.at(requested_on, rng)
        staff, owner = demo.staff_of(app["_agency"]), owners[app["company"]]
        decided_at = None if status == "pending" else requested_at + 2 * DAY
        row = {"application": key, "kind": kind, "status": status, "cause_on": cause_on, "reason": reason,
               "new_ends_on": None, "new_supplier": None, "new_total_cost": None, "previous": {}, "note": "",
               "requested_by": owner, "decided_by": None if status == "pending" else staff,
               "decided_at": decided_at, "_requested_at": requested_at, **fields}  # fmt: skip
        rows["changes"].append(row)
        event = _events(rows["project_events"], "change", (key, kind, cause_on))
        event(
            "agreement_change.request", owner, requested_at, {}, {"status": "pending", "kind": kind}, reason
        )
        if status != "pending":
            action = {"approved": "agreement_change.approve", "rejected": "agreement_change.reject"}[status]
            event(action, staff, decided_at, {"status": "pending"}, {"status": status}, row["note"])
        return row

    extended = agreements[(building[0]["program"], building[0]["company"])]
    new_ends_on = add_months(extended["original_ends_on"], MAX_EXTENSION_MONTHS - 1)
    extended["ends_on"] = new_ends_on
    requested_on = today - 12 * DAY
    change(building[0], "extension", "approved", requested_on - 7 * DAY, requested_on,
           "주요 설비(비전검사 카메라) 수입 통관 지연으로 구축 기간 연장이 필요합니다. (데모)",
           new_ends_on=new_ends_on, previous={"ends_on": extended["original_ends_on"].isoformat()},
           note=EXTENSION_NOTE)  # fmt: skip
    requested_on = today - 20 * DAY
    change(
        waiting,
        "plan",
        "rejected",
        requested_on - 26 * DAY,
        requested_on,
        "생산라인 재배치에 따라 구축 범위(POP 단말 설치 위치)를 변경하고자 합니다. (데모)",
        note=LATE_NOTE,
    )
    pending = building[1]
    current = agreements[(pending["program"], pending["company"])]["supplier"]
    requested_on = today - 3 * DAY
    change(pending, "supplier", "pending", requested_on - 4 * DAY, requested_on,
           "기존 공급기업의 사업 중단으로 공급기업 변경이 필요합니다. (데모)",
           new_supplier=next(name for name in suppliers if name != current),
           previous={"supplier": current})  # fmt: skip


def completion_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF of `lines` in Korean: Adobe's predefined Korean font (not embedded)
    with a ToUnicode map, so the text can be read and extracted; the demo's 완료보고서."""
    ranges = [f"<{high:02X}00> <{high:02X}FF> <{high:02X}00>" for high in range(256)]
    blocks = [f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange"
              for chunk in (ranges[i:i + 100] for i in range(0, 256, 100))]  # fmt: skip
    to_unicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + "\n".join(blocks) + "\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    text = (
        "BT /F1 14 Tf 18 TL 72 770 Td "
        + " ".join(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*" for line in lines)
        + " ET"
    )
    font = "/HYGoThic-Medium"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        "/Contents 4 0 R >>",
        text,
        f"<< /Type /Font /Subtype /Type0 /BaseFont {font} /Encoding /UniKS-UCS2-H "
        "/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont {font} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Korea1) /Supplement 1 >> /FontDescriptor 7 0 R >>",
        f"<< /Type /FontDescriptor /FontName {font} /Flags 6 /FontBBox [-6 -145 1003 880] /ItalicAngle 0 "
        "/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        to_unicode,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        if number in (4, 8):  # streams
            data = body.encode("ascii")
            body = f"<< /Length {len(data)} >>\nstream\n{body}\nendstream"
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


COMPLETION_PDF = completion_pdf(
    [
        "스마트공장 구축사업 완료보고서",
        "구축 완료: 설비 설치, 시스템 가동, 데이터 수집 확인",
        "성과지표 측정 결과는 성과 입력 화면에 입력했습니다.",
        "(데모용 가상 문서)",
    ]
)
