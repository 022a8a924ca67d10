"""Locks that keep an import and the desk from writing the same issue at once.

On PostgreSQL these are advisory locks held until the end of the caller's transaction
(``pg_advisory_xact_lock``): nothing to release, nothing left behind by a crash.

* ``lock_issue_import(name, number)``: taken by ``import_issues`` before it reads an issue,
  exclusive, and waited for: two imports of the same issue run one after the other.
* ``issue_open_for_desk(issue)``: taken shared by every desk step that writes an article or
  issue, without waiting. It fails while an import holds the issue, and the desk refuses the
  save with "本期正在重新导入" instead of writing into (or waiting out) the import. Desk saves
  share it, so they do not wait for each other; an import waits for the desk saves in flight.
* ``lock_names(names)``: the loader's people, see ``backissues.loader._people``.

On SQLite there are no advisory locks and none are needed: a writing transaction holds the
database's one write lock until it commits, so two imports cannot interleave, and a desk save
during an import waits for that lock and, when the import outlasts the busy timeout, fails
with "database is locked", which the desk answers with a clean page (desk.middleware).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable

from django.db import connection

# The first key of every advisory lock of ours (two-key form), so that they cannot collide
# with anyone else's: one namespace per use.
ISSUE_NAMESPACE = 0x4E52_0001  # "NR" 1: an issue being imported
PERSON_NAMESPACE = 0x4E52_0002  # "NR" 2: a person's name being created
PUBLICATION_NAMESPACE = 0x4E52_0003  # "NR" 3: a publication being created


def _key(text: str) -> int:
    """A signed 32-bit key (what the two-key advisory functions take). Two texts with the same
    key only wait for each other needlessly; they never share data."""
    value = zlib.crc32(text.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def issue_key(publication_name: str, number: int) -> int:
    return _key(f"{publication_name}\x00{number}")


def normalized_name(name: str) -> str:
    """The form a name is locked under: NFKC, without spaces (郁 菲菲 and 郁菲菲 wait for
    each other)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def uses_advisory_locks() -> bool:
    return connection.vendor == "postgresql"


def lock_issue_import(publication_name: str, number: int) -> None:
    """Wait for, then hold until the transaction ends, the import lock of one issue."""
    if uses_advisory_locks():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [ISSUE_NAMESPACE, issue_key(publication_name, number)],
            )


def lock_publication_name(name: str) -> None:
    """Held while a publication is looked up and created, so two imports of a new paper
    create it once."""
    if uses_advisory_locks():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [PUBLICATION_NAMESPACE, _key(name)]
            )


def issue_open_for_desk(issue) -> bool:
    """Whether the desk may write to ``issue`` now (False while an import holds it). Holds a
    shared lock until the transaction ends, so an import starting now waits for this save."""
    if not uses_advisory_locks():
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock_shared(%s, %s)",
            [ISSUE_NAMESPACE, issue_key(issue.publication.name, issue.number)],
        )
        return bool(cursor.fetchone()[0])


def lock_names(names: Iterable[str]) -> None:
    """Wait for, then hold until the transaction ends, a lock on each name (normalised). Keys
    are taken in ascending order in one statement, so two imports sharing names cannot
    deadlock."""
    if not uses_advisory_locks():
        return
    keys = sorted({_key(normalized_name(name)) for name in names})
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, key)) "
            "FROM (SELECT unnest(%s::integer[]) AS key ORDER BY 1) AS keys",
            [PERSON_NAMESPACE, keys],
        )
