"""Follow-up clocks: when the next internal check-in and customer update are due. Pure; `now` is passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..models import Severity
from .model import Calendar, Policy


def add_business_days(start: datetime, days: float, calendar: Calendar) -> datetime:
    """`days` business days after `start`, skipping weekends and holidays of the calendar.

    A start outside business days counts from the start of the next business day.
    """
    def is_business(day: datetime) -> bool:
        return day.weekday() in calendar.business_days and day.date() not in calendar.holidays

    current = start
    if not is_business(current):
        while not is_business(current):
            current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    whole = int(days)
    for _ in range(whole):
        current += timedelta(days=1)
        while not is_business(current):
            current += timedelta(days=1)
    fraction = days - whole
    if fraction:
        current += timedelta(hours=24 * fraction)
        while not is_business(current):
            current += timedelta(days=1)
    return current


def internal_due(severity: Severity, last: datetime, policy: Policy) -> datetime:
    return last + timedelta(hours=policy.cadence[severity].internal_hours)


def customer_due(severity: Severity, last: datetime, policy: Policy) -> datetime:
    cadence = policy.cadence[severity]
    if cadence.customer_hours:
        return last + timedelta(hours=cadence.customer_hours)
    return add_business_days(last, cadence.customer_business_days, policy.calendar)


def describe(severity: Severity, policy: Policy) -> dict[str, str]:
    cadence = policy.cadence[severity]
    customer = (f"every {cadence.customer_hours:g} hours" if cadence.customer_hours
                else f"every {cadence.customer_business_days:g} business day(s)")
    return {"internal": f"every {cadence.internal_hours:g} hours", "customer": customer}
