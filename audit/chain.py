"""The audit trail's hash chain. Each event stores the hash of its own content together with the
previous event's hash (``prev_hash`` → ``row_hash``), in id order; the chain head (one row) holds
the last hash. Altering, deleting or inserting a row anywhere breaks the chain from there on, and
``manage.py audit_verify`` names the first broken link.

Appending is serialised by a row lock on the chain head (``select_for_update``), held until the
writing transaction commits: two transactions cannot both chain onto the same previous hash, and
ids (taken from the sequence after the lock) follow the chain's order. The price is that audited
writes commit one after another; each holds the lock only from its first audited write.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

GENESIS = ""  # the previous hash of the first event


def _when(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(value) -> str:
    """The canonical JSON the chain hashes: sorted keys, no spaces, UTF-8 text as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(event, prev_hash: str, changes_text: str | None = None) -> str:
    """SHA-256 of the event's content (everything an auditor reads; the actor's username rather
    than the account id, which the database clears if an account is ever removed) and the
    previous hash, as canonical JSON of the list [when, who, action, model, model name, pk, repr,
    changes, reason, previous hash]. ``changes_text``: the changes already in canonical JSON
    (bulk writers build them as text), the same bytes ``canonical(event.changes)`` gives."""
    head = canonical([_when(event.occurred_at), event.actor_username, event.action, event.model,
                      event.model_verbose_name, event.object_pk, event.object_repr])  # "[…]"
    changes = changes_text if changes_text is not None else canonical(event.changes)
    tail = canonical([event.reason, prev_hash])
    # the list's canonical JSON with the changes' text spliced in as they are: "[head…,changes,tail…]"
    data = head[:-1] + "," + changes + "," + tail[1:]
    return hashlib.sha256(data.encode()).hexdigest()


def chain(events: list) -> None:
    """Give ``events`` (not yet saved, in the order they will be inserted) their hashes, after the
    current head, and move the head. Must run in the transaction that inserts them."""
    from django.db import transaction

    from .models import AuditChainHead

    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are chained inside the transaction that writes them")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    previous = head.last_hash
    for event in events:
        event.prev_hash = previous
        event.row_hash = previous = event_hash(event, previous, getattr(event, "changes_text", None))
    head.last_hash = previous
    head.save(update_fields=["last_hash"])


@dataclass(frozen=True)
class BrokenLink:
    event_id: int | None
    reason: str


def verify(events: Iterable, head_hash: str) -> Iterator[BrokenLink]:
    """The broken links of the chain, first first (``events`` in id order)."""
    previous = GENESIS
    last_id = None
    for event in events:
        if event.prev_hash != previous:
            yield BrokenLink(event.id, "previous hash does not match the event before it "
                                       "(an event before it was removed, added or altered)")
        if event_hash(event, event.prev_hash) != event.row_hash:
            yield BrokenLink(event.id, "content does not match its hash (the event was altered)")
        previous = event.row_hash
        last_id = event.id
    if previous != head_hash:
        yield BrokenLink(last_id, "the chain head does not match the last event (events after it were removed)")
