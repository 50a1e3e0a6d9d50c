"""Working days for collection and delivery.

Modelled: carriers collect and deliver Monday to Friday; Saturday and Sunday are not working days, so transit
days count working days. Not modelled: public holidays and Saturday delivery services.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def is_working_day(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the Monday after."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def collection_day(now: datetime, cutoff: time) -> date:
    """The day a parcel sealed at `now` (warehouse wall-clock) leaves: today before the cut-off on a working
    day, else the next working day."""
    today = now.date()
    if is_working_day(today) and now.time() < cutoff:
        return today
    return next_working_day(today + timedelta(days=1))


def add_working_days(day: date, days: int) -> date:
    """The working day `days` working days after `day` (a parcel collected Friday with 1 day: Monday)."""
    for _ in range(days):
        day = next_working_day(day + timedelta(days=1))
    return day
