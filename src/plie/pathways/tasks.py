"""The pathways' work done in the background, by the worker (`plie db_worker`): listing the
whole PLIE's morning lists again when the kept ones are a quarter of an hour old."""

import datetime

from django_tasks import task


@task()
def refresh_worklists(today: str) -> int:
    """Lists the whole PLIE for the day `today` (ISO) and keeps it; returns the rows listed."""
    from plie.pathways.worklists import store_whole_plie
    from plie.territory.models import Programme

    listing = store_whole_plie(Programme.current(), datetime.date.fromisoformat(today)).value
    return sum(listed.count for listed in listing.lists.values())
