"""Stock slots of a batch of picks, read without locks and written last, as deltas (PostgreSQL).

Stations picking the same fast seller touch the same stock slot. Locked from the batch's first read to its
COMMIT, that slot made every other station's batch wait for the whole of this one: four stations pushing at
once ran barely faster than one. So a batch without shorts (effects_pick.line_shorted) reads its slots
unlocked, lets the handlers apply the picks to the values read, and when everything else is written locks the
slots (in id order) and adds each slot's change to what it holds by then. The verdicts must be those a locked
read gives, so:

- a pick the slot as read cannot cover is never refused on that read: the batch is done again with the slots
  locked from the start (StockUnlocked), and that read refuses it or not;
- a slot that lost stock under the batch is checked when written: every pick of the batch must still have
  found enough on it (what it held before this batch's change, plus the lowest the batch's picks took it to,
  is not below zero); if one would not have, the batch is done again with the slots locked.

Anything else that needs the slots as they are (a short, a re-allocation) asks for the locked batch too. On
SQLite the batch holds the one write lock of the database anyway, and takes the locked path.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.server.stock.models import StockItem
from sync.ingest.bulk import array_param, driver_rows_together
from sync.ingest.effects import BatchContext, StockUnlocked

_TABLE = StockItem.__tablename__


def write_stock_late(ctx: BatchContext) -> None:
    """Write the changes of the slots read without locks (nothing when they were locked): StockUnlocked
    when a slot no longer holds enough for the batch's picks."""
    rows = ctx.rows
    if rows.stock_locked:
        return
    deltas = rows.stock.deltas()  # {slot id: (on_hand change, reserved change)}
    for slot_id in rows.stock_low:  # picked and put back: no change, but the picks must still be checked
        deltas.setdefault(slot_id, (0, 0))
    if not deltas:
        return
    ids = sorted(deltas)
    id_array, id_param = array_param("ids", ids, "INTEGER")
    on_hand, on_hand_param = array_param("dh", [deltas[i][0] for i in ids], "INTEGER")
    reserved, reserved_param = array_param("dr", [deltas[i][1] for i in ids], "INTEGER")
    # the UPDATE's own lock mode, taken in id order first: FOR UPDATE would also wait for the key-share locks
    # other batches' ledger rows hold on the slots until they commit (each waiting for the other: deadlock)
    lock = f"SELECT id FROM {_TABLE} WHERE id = ANY({id_array}) ORDER BY id FOR NO KEY UPDATE"
    add = (
        f"UPDATE {_TABLE} AS t SET on_hand = t.on_hand + d.dh, reserved = t.reserved + d.dr "
        f"FROM unnest({id_array}, {on_hand}, {reserved}) AS d(id, dh, dr) "
        f"WHERE t.id = d.id AND t.id = ANY({id_array}) RETURNING t.id, t.on_hand"
    )
    params = {"ids": id_param, "dh": on_hand_param, "dr": reserved_param}
    try:
        _locked, written = driver_rows_together(ctx.session, [(lock, {"ids": id_param}), (add, params)])
    except IntegrityError:  # the slot's own rule (on_hand >= 0, reserved within it) refused the change
        raise StockUnlocked from None
    for slot_id, held in written:
        before = held - deltas[slot_id][0]
        if before + rows.stock_low.get(slot_id, 0) < 0:
            raise StockUnlocked
