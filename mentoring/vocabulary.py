"""What the matching of mentors to applications knows about the domain's words (docs/domain.md §7).

KSIC divisions of manufacturing (section C, 10th revision), which expertise a supplier's solution
calls for, and the plan-text keywords that point at each expertise.
"""

import re

from django.utils.translation import gettext_lazy as _

from program.choices import Expertise, SolutionArea

KSIC_DIVISIONS = {
    "10": _("식료품"),
    "11": _("음료"),
    "12": _("담배"),
    "13": _("섬유제품"),
    "14": _("의복 및 모피제품"),
    "15": _("가죽, 가방 및 신발"),
    "16": _("목재 및 나무제품"),
    "17": _("펄프, 종이 및 종이제품"),
    "18": _("인쇄 및 기록매체 복제"),
    "19": _("코크스, 연탄 및 석유정제품"),
    "20": _("화학물질 및 화학제품"),
    "21": _("의료용 물질 및 의약품"),
    "22": _("고무 및 플라스틱제품"),
    "23": _("비금속 광물제품"),
    "24": _("1차 금속"),
    "25": _("금속 가공제품"),
    "26": _("전자부품, 컴퓨터, 영상, 음향 및 통신장비"),
    "27": _("의료, 정밀, 광학 기기 및 시계"),
    "28": _("전기장비"),
    "29": _("기타 기계 및 장비"),
    "30": _("자동차 및 트레일러"),
    "31": _("기타 운송장비"),
    "32": _("가구"),
    "33": _("기타 제품"),
    "34": _("산업용 기계 및 장비 수리"),
}

E = Expertise
# The expertise a mentor needs to help build each kind of solution.
SOLUTION_EXPERTISE: dict[str, tuple[str, ...]] = {
    SolutionArea.MES: (E.MES,),
    SolutionArea.ERP: (E.ERP,),
    SolutionArea.PLM: (E.PROCESS,),
    SolutionArea.SCM: (E.ERP,),
    SolutionArea.FEMS: (E.ENERGY,),
    SolutionArea.VISION: (E.QUALITY,),
    SolutionArea.POP: (E.MES,),
    SolutionArea.QMS: (E.QUALITY,),
    SolutionArea.AUTOMATION: (E.AUTOMATION,),
    SolutionArea.IOT: (E.MAINTENANCE,),
}

# Words in a plan (Korean or English, any case) that show it needs an expertise, "|"-separated.
_KEYWORDS = {
    E.PROCESS: "공정개선|공정 개선|생산성|병목|리드타임|레이아웃|lead time|bottleneck|lean",
    E.QUALITY: "품질|불량|검사|수율|이력추적|quality|defect|inspection|yield|spc",
    E.AUTOMATION: "자동화|로봇|무인|컨베이어|automation|robot|plc",
    E.MES: "mes|생산관리|생산실적|작업지시|pop",
    E.ERP: "erp|재고|자재|구매|수주|회계|inventory|scm",
    E.MAINTENANCE: "설비보전|설비 보전|예지보전|고장|가동률|maintenance|oee",
    E.SAFETY: "안전|재해|사고|safety",
    E.ENERGY: "에너지|전력|탄소|온실가스|fems|energy",
}
PLAN_KEYWORDS: dict[str, tuple[str, ...]] = {e: tuple(words.split("|")) for e, words in _KEYWORDS.items()}


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    # An English keyword counts only as a whole word ("mes" is not in "times"); Korean by substring.
    parts = [rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])" if w.isascii() else re.escape(w) for w in words]
    return re.compile("|".join(parts), re.IGNORECASE)


_PLAN_PATTERNS = {expertise: _pattern(words) for expertise, words in PLAN_KEYWORDS.items()}


def needed_expertise(*, solution_areas, text: str) -> set[str]:
    """The expertise an application calls for: from its supplier's solutions and its plan's words."""
    needed = {e for area in solution_areas or () for e in SOLUTION_EXPERTISE.get(area, ())}
    needed |= {expertise for expertise, pattern in _PLAN_PATTERNS.items() if pattern.search(text or "")}
    return {str(e) for e in needed}
