"""Dates as the paper prints them. Pure Python: the text format uses it without the ORM."""

import datetime

# Monday first, as date.weekday() counts: 星期一 … 星期日.
WEEKDAYS = "一二三四五六日"


def weekday_name(date: datetime.date) -> str:
    """2024-11-28 -> 星期四"""
    return "星期" + WEEKDAYS[date.weekday()]
