"""Failover: two bot processes on one PostgreSQL share the outbox; one is SIGKILLed mid-run while it holds
leases on actions. Its leases expire, the other process finishes those actions, and nothing is done twice.

It runs the real bot in two processes (``python -m bot bench load``'s machinery) against the loopback
gateway, which answers deletes and sends after 0.3 s as a busy Discord would, so the killed process is
sure to die holding claims. It checks outcomes, never times.
"""

from __future__ import annotations

import argparse

import pytest

from bot.loadtest.bench import add_arguments, load_run
from tests.pg import fresh_database

pytestmark = pytest.mark.e2e


async def test_a_killed_process_leases_expire_and_the_other_finishes_its_actions(pg_admin_url: str) -> None:
    url = await fresh_database(pg_admin_url)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([
        "--database", url, "--processes", "2", "--shards", "1", "--guilds", "8", "--rate", "20",
        "--duration", "8", "--protected", "0.5", "--abusive", "0", "--no-abuse", "--kill-after", "4",
        "--lease", "2", "--sweep", "0.5", "--rest-delay", "0.3", "--drain", "40",
    ])
    report = await load_run(args)

    assert any("SIGKILLed" in note for note in report.notes)
    killed, survivor = report.processes_stats
    assert killed.killed and not survivor.killed
    assert report.killed_leases > 0, "the killed process died holding claims"
    assert report.killed_leases_finished == report.killed_leases, "the survivor finished every one"
    assert report.actions_not_done == 0, "no stored action was left undone"
    assert report.protected_not_deleted == 0, "every flagged message naming the party was deleted"
    assert report.actions_duplicated == 0, "no action done twice (a resend is deduplicated by its nonce)"
    assert report.flags_stored > 0 and report.actions_stored >= 3 * report.flags_stored
