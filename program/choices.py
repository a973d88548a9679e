"""The domain's fixed vocabularies (docs/domain.md §2, §6–§8), shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def labels(choices: type[models.Choices]) -> dict[str, str]:
    """value → label in the active language, translated once. For pages that show a label per row:
    Django's get_FOO_display() rebuilds and translates the choices on every call."""
    return {value: str(label) for value, label in choices.choices}


class Region(models.TextChoices):
    """The 17 시·도."""

    SEOUL = "서울", _("서울")
    BUSAN = "부산", _("부산")
    DAEGU = "대구", _("대구")
    INCHEON = "인천", _("인천")
    GWANGJU = "광주", _("광주")
    DAEJEON = "대전", _("대전")
    ULSAN = "울산", _("울산")
    SEJONG = "세종", _("세종")
    GYEONGGI = "경기", _("경기")
    GANGWON = "강원", _("강원")
    CHUNGBUK = "충북", _("충북")
    CHUNGNAM = "충남", _("충남")
    JEONBUK = "전북", _("전북")
    JEONNAM = "전남", _("전남")
    GYEONGBUK = "경북", _("경북")
    GYEONGNAM = "경남", _("경남")
    JEJU = "제주", _("제주")


class SupportLevel(models.TextChoices):
    """The support level an application asks for."""

    BASIC = "basic", _("기초")
    ADVANCED1 = "advanced1", _("고도화1")
    ADVANCED2 = "advanced2", _("고도화2")


class DocumentKind(models.TextChoices):
    """The kinds of document an application carries (docs/domain.md §10); a program requires some of them."""

    BUSINESS_REGISTRATION = "business_registration", _("사업자등록증")
    FINANCIAL_STATEMENTS = "financial_statements", _("재무제표")
    QUOTE = "quote", _("견적서")
    BUSINESS_PLAN = "business_plan", _("사업계획서")
    COMPLETION_REPORT = "completion_report", _("완료보고서")


# The kinds an application carries while it is being written (SPEC §10): a program may require any
# of them before `submit`. The completion report is uploaded while building (SPEC §17).
APPLICATION_DOCUMENT_KINDS = (
    DocumentKind.BUSINESS_REGISTRATION,
    DocumentKind.FINANCIAL_STATEMENTS,
    DocumentKind.QUOTE,
    DocumentKind.BUSINESS_PLAN,
)


class Kpi(models.TextChoices):
    """성과지표 (docs/domain.md §8): the outcomes measured after a project and the targets its
    agreement sets before it (SPEC §16)."""

    PRODUCTIVITY = "productivity", _("생산성(시간당 생산량)")
    DEFECT_RATE = "defect_rate", _("불량률(%)")
    UNIT_COST = "unit_cost", _("원가")
    LEAD_TIME = "lead_time", _("리드타임(일)")
    ON_TIME_DELIVERY = "on_time_delivery", _("납기준수율(%)")
    REVENUE = "revenue", _("매출액")
    OPERATING_PROFIT = "operating_profit", _("영업이익")
    EMPLOYEES = "employees", _("고용")
    RD_SPEND = "rd_spend", _("연구개발비")
    ACCIDENTS = "accidents", _("산업재해")


# For these KPIs a fall is an improvement (a target below its baseline; a change % negated).
KPI_LOWER_IS_BETTER = frozenset({Kpi.DEFECT_RATE, Kpi.UNIT_COST, Kpi.LEAD_TIME, Kpi.ACCIDENTS})
KPI_PERCENT = frozenset({Kpi.DEFECT_RATE, Kpi.ON_TIME_DELIVERY})


class FactoryLevel(models.TextChoices):
    """A company's current smart-factory level."""

    NONE = "none", _("미구축")
    BASIC = "basic", _("기초")
    INTERMEDIATE1 = "intermediate1", _("중간1")
    INTERMEDIATE2 = "intermediate2", _("중간2")
    ADVANCED = "advanced", _("고도화")


class SolutionArea(models.TextChoices):
    MES = "MES", "MES"
    ERP = "ERP", "ERP"
    PLM = "PLM", "PLM"
    SCM = "SCM", "SCM"
    FEMS = "FEMS", "FEMS"
    VISION = "vision", _("비전검사")
    POP = "POP", "POP"
    QMS = "QMS", "QMS"
    AUTOMATION = "automation", _("설비자동화")
    IOT = "iot", _("IoT 센서")


class Expertise(models.TextChoices):
    PROCESS = "process", _("공정개선")
    QUALITY = "quality", _("품질")
    AUTOMATION = "automation", _("자동화")
    MES = "mes", "MES"
    ERP = "erp", "ERP"
    MAINTENANCE = "maintenance", _("설비보전")
    SAFETY = "safety", _("안전")
    ENERGY = "energy", _("에너지")
