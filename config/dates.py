"""Calendar arithmetic the domain's rules share (imports no app)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months (back for a negative number), the day of month kept or,
    past the month's end, its last day (31 January + 1 month = 28 or 29 February). A mentoring
    assignment's six months, an agreement's build period and its one-month change deadline use it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
