"""The station database schema (SQLAlchemy Core); app/station/store/migrations holds the migrations."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# The replica: one row, created with the database file; `next_seq` numbers the outbox.
replica = Table(
    "replica",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("replica_id", String(36), nullable=False),
    Column("created_wall", Float, nullable=False),
    Column("next_seq", Integer, nullable=False, default=1),
)

products = Table(
    "products",
    metadata,
    Column("sku", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("weight_g", Integer, nullable=False, default=0),
    Column("dims_mm", String, nullable=False, default="0x0x0"),
    Column("lot_tracked", Boolean, nullable=False, default=False),
    Column("expiry_tracked", Boolean, nullable=False, default=False),
)

barcodes = Table(
    "barcodes",
    metadata,
    Column("key", String, primary_key=True),  # GTIN as 14 digits, internal code as typed
    Column("code", String, nullable=False),
    Column("sku", String, ForeignKey("products.sku", ondelete="CASCADE"), nullable=False, index=True),
    Column("units", Integer, nullable=False, default=1),
)

locations = Table(
    "locations",
    metadata,
    Column("code", String, primary_key=True),
    Column("zone", String, nullable=False, default=""),
    Column("aisle", String, nullable=False, default=""),
    Column("bay", String, nullable=False, default=""),
    Column("level", String, nullable=False, default=""),
    Column("sequence", Integer, nullable=False, default=0),
)

operators = Table(
    "operators",
    metadata,
    Column("badge", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("roles", String, nullable=False),  # comma-separated
    Column("pin_hash", String, nullable=False, default=""),
)

work_units = Table(
    "work_units",
    metadata,
    Column("work_id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("state", String, nullable=False, index=True),
    Column("orders", Text, nullable=False),  # JSON list
    Column("route", Text, nullable=False),  # JSON list of line ids
    Column("totes", Text, nullable=False),  # JSON object order_id -> tote
    Column("pending_put", Text),  # JSON or NULL
    Column("typed_qty", Integer),
    Column("awaiting_short_reason", Boolean, nullable=False, default=False),
    Column("created_wall", Float, nullable=False),
)

work_lines = Table(
    "work_lines",
    metadata,
    Column("line_id", String, primary_key=True),
    Column(
        "work_id", String, ForeignKey("work_units.work_id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("order_id", String, nullable=False),
    Column("sku", String, nullable=False),
    Column("product_name", String, nullable=False),
    Column("location", String, nullable=False),
    Column("qty", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("lot", String),
    Column("lease_token", Integer, nullable=False),
    Column("lease_deadline_boot", Float, nullable=False),
    Column("lease_boot_id", String, nullable=False),  # a deadline is only valid within the boot it was set in
    Column("picked", Integer, nullable=False, default=0),
    Column("status", String, nullable=False),
    Column("location_confirmed", Boolean, nullable=False, default=False),
    Column("steps", Text, nullable=False, default="[]"),
    Column("short_reason", String),
)

pack_orders = Table(
    "pack_orders",
    metadata,
    Column("order_id", String, primary_key=True),
    Column("tote", String, index=True),
    Column("state", String, nullable=False),
    Column("lines", Text, nullable=False),  # JSON list of pack lines with verified counts
    Column("box", String),
    Column("weight_g", Integer),
    Column("extra", Text, nullable=False, default="{}"),
)

scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", String(36), nullable=False, unique=True),
    Column("station_id", String, nullable=False),
    Column("operator", String),
    Column("text", Text, nullable=False),
    Column("source", String, nullable=False),
    Column("aim", String),
    Column("outcome", String, nullable=False),
    Column("code", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("wall", Float, nullable=False),
    Column("boot", Float, nullable=False),
    Column("work_id", String),
    Column("line_id", String),
    Column("order_id", String),
    Column("lease_token", Integer),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("type", String, nullable=False),
    Column("v", Integer, nullable=False),
    Column("lease_line_id", String),
    Column("lease_token", Integer),
    Column("payload", Text, nullable=False),
    Column("created_wall", Float, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("acked", Boolean, nullable=False, default=False),
    Column("acked_at", Float),
    Column("outcome", String),  # accepted | accepted_conflict | rejected_recorded, once the server says
    Column("outcome_reason", Text),
)
Index("ix_outbox_unacked", outbox.c.acked, outbox.c.seq)

# A restored database re-keys (sync.rekey): the replica it was is kept here, retired, with why and when;
# `successor` is the replica that took over its unacknowledged events.
retired_replicas = Table(
    "retired_replicas",
    metadata,
    Column("replica_id", String(36), primary_key=True),
    Column("created_wall", Float, nullable=False),
    Column("retired_wall", Float, nullable=False),
    Column("reason", String, nullable=False),  # server_ahead | seq_reuse_mismatch
    Column("detail", Text, nullable=False, default=""),
    Column("last_seq", Integer, nullable=False),
    Column("acked_through", Integer, nullable=False),
    Column("resent", Integer, nullable=False),
    Column("successor", String(36), nullable=False, index=True),
)

# The outbox rows of retired replicas, exactly as they were; `new_seq` is the seq an unacknowledged row was
# sent again under in the successor's outbox (same event_id and content), NULL for rows already acknowledged.
retired_outbox = Table(
    "retired_outbox",
    metadata,
    Column("replica_id", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, index=True),
    Column("type", String, nullable=False),
    Column("v", Integer, nullable=False),
    Column("lease_line_id", String),
    Column("lease_token", Integer),
    Column("payload", Text, nullable=False),
    Column("created_wall", Float, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("acked", Boolean, nullable=False),
    Column("acked_at", Float),
    Column("outcome", String),
    Column("outcome_reason", Text),
    Column("new_seq", Integer),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cursor", String),
    Column("acked_through", Integer, nullable=False, default=0),
    Column("clock_offset_s", Float),
    Column("online", Boolean, nullable=False, default=False),
    Column("status", String, nullable=False, default="ok"),  # ok | upgrade_required | seq_reuse_mismatch | …
    Column("detail", Text, nullable=False, default=""),
    Column("last_push_wall", Float),
    Column("last_pull_wall", Float),
    Column("server_id", String(36)),  # the server this database belongs to, from its first answer
    Column("reference_loaded", Boolean, nullable=False, default=False),  # a pull was applied
    Column("first_pull_wall", Float),  # when the station first tried to pull (how long it has been loading)
)

station_session = Table(
    "station_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operator", String),
    Column("operator_name", String),
    Column("role", String),
    Column("work_id", String),
    Column("pack_order_id", String),
)
