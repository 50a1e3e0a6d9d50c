"""Settings: one model per section of config.toml, defaults here, overridable by AISLE_<SECTION>__<KEY>.

`load_settings()` reads `config.toml` (or the file named by AISLE_CONFIG), applies environment overrides, and
raises `SettingsError` naming the setting when something is wrong, so start-up stops with a clear message.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.domain.shipping.schemes import RangeSpec, sscc_range, tracking_range


class SettingsError(Exception):
    """A setting is missing, unknown or has a wrong value; the message names it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ServerSettings(_Section):
    """The central server."""

    host: str = "127.0.0.1"
    """Interface the server listens on."""
    port: int = Field(8470, ge=1, le=65535)
    """TCP port of the server."""
    database_url: str = "sqlite:///var/aisle-server.db"
    """SQLAlchemy URL; sqlite:///PATH (relative to the working directory) or postgresql+psycopg://user@host/db."""
    migrate_on_start: bool = True
    """Run Alembic migrations when the server starts."""
    shopify_webhook_secret: str = ""
    """Secret for X-Shopify-Hmac-Sha256 on /api/v1/webhooks/shopify/orders; empty disables the webhook."""
    shopify_channel: str = "shopify"
    """Channel name given to orders that arrive through the Shopify webhook."""
    lease_seconds: int = Field(8 * 3600, ge=10)
    """How long a station's lease lasts; renewed on every pull (an offline station keeps it this long)."""
    lease_grace_seconds: int = Field(60, ge=0)
    """Extra time after a lease expires before its lines are handed to another station."""
    page_size_max: int = Field(500, ge=1)
    """Largest page a list endpoint returns."""
    station_online_seconds: int = Field(30, ge=1)
    """A station counts as online while its last push or pull is at most this many seconds old."""
    wrong_item_streak: int = Field(3, ge=1)
    """This many wrong-item scans in a row at one station raise an exception for the supervisor."""
    pull_max_changes: int = Field(1000, ge=1)
    """Most changes one pull returns; the station pulls again at once when more wait."""
    change_retention: int = Field(10000, ge=100)
    """Changes kept per station for pulls; a station whose cursor is older gets a reset snapshot."""
    token_cache_seconds: float = Field(10.0, ge=0, le=300)
    """A verified bearer token is trusted this long before the database is asked again, so a revoked token
    (aisle token revoke) stays usable at most this long on each server process; 0 checks every request."""


class StationSettings(_Section):
    """A floor terminal (picker, packer or supervisor station)."""

    station_id: str = "ST01"
    """This station's id, registered on the server."""
    role: str = ""
    """picker, packer or supervisor; empty asks the operator at start."""
    server_url: str = "http://127.0.0.1:8470"
    """Base URL of the central server."""
    token: str = ""
    """Bearer token with the station role (aisle token create --role station)."""
    database_path: str = "var/station-{station_id}.db"
    """SQLite file of this station; {station_id} is replaced."""
    scanner: str = "keyboard"
    """Scanner spec: keyboard, serial:URL?options, camera:SOURCE, script:PATH (see README, Scanners)."""
    scale: str = ""
    """Bench scale: empty (the packer types the weight), serial:URL?protocol=nci|continuous, fake:GRAMS."""
    label_printer: str = ""
    """Label printer spec: empty (none yet), tcp://HOST:9100, serial:URL?baud=9600, cups://QUEUE, file:///DIR."""
    bell: bool = True
    """Ring the terminal bell on a refused scan."""
    sync_interval_seconds: float = Field(2.0, gt=0)
    """How often the station pulls from the server while online."""
    lease_margin_seconds: int = Field(60, ge=0)
    """Safety margin: a lease is treated as expired this long before the server's deadline."""
    box_types: list[str] = Field(
        default_factory=lambda: ["S:150:250x200x100", "M:250:350x250x150", "L:400:450x350x250"]
    )
    """Pack boxes as CODE:TARE_G:LxWxH (inner mm); the smallest that fits is suggested."""
    weight_tolerance_g: int = Field(50, ge=0)
    """Pack weight check: a parcel may differ from the expected weight by this many grams…"""
    weight_tolerance_percent: float = Field(5.0, ge=0)
    """…or by this percentage of the expected weight, whichever is larger."""
    outbox_retention_hours: float = Field(168.0, gt=0)
    """Acknowledged outbox events (and the scans, closed work and sealed orders behind them) are kept this
    long, so they can be re-sent after a server restore; the sync thread prunes older ones every 10 min."""
    log_max_mb: float = Field(10.0, gt=0)
    """A log file Aisle writes on a station (the demo's <database>.log) rotates at this size in MiB…"""
    log_backups: int = Field(3, ge=1)
    """…keeping this many rotated files beside it (<database>.log.1 …)."""


class ScannerSettings(_Section):
    """How raw scanner input is framed and normalised."""

    wedge_max_interkey_ms: float = Field(35.0, gt=0)
    """Keyboard wedge: keystrokes closer than this (ending in Enter) are a scan; slower ones are typing."""
    wedge_min_length: int = Field(3, ge=1)
    """Keyboard wedge: shortest burst treated as a scan."""
    gs_replacement: str = "~"
    """Character a wedge scanner sends in place of the GS separator (0x1D); empty disables."""
    max_frame_bytes: int = Field(512, ge=16)
    """Serial: frames longer than this are rejected as noise."""
    frame_idle_ms: float = Field(500.0, gt=0)
    """Serial: a partial frame that gets no byte for this long is rejected, never glued onto the next scan."""
    reconnect_max_seconds: float = Field(5.0, gt=0)
    """Serial and camera: longest back-off between reopen attempts after a device is lost."""


class CameraSettings(_Section):
    """Camera scanners (OpenCV capture + software decoding)."""

    decoder: str = "auto"
    """auto, zxing or pyzbar; auto picks the best one installed."""
    symbologies: list[str] = Field(
        default_factory=lambda: [
            *("ean13", "ean8", "upca", "upce", "code128", "gs1-128", "itf-14", "databar", "databar-expanded"),
            *("qrcode", "gs1-qrcode", "datamatrix", "gs1-datamatrix"),
        ]
    )
    """Symbologies the warehouse uses; others are ignored (faster and fewer false reads).

    Known: ean13, ean8, upca, upce, code128, gs1-128, itf, itf-14, databar, databar-expanded, qrcode,
    gs1-qrcode, datamatrix, gs1-datamatrix. A GS1 variant is only read when listed: code128 alone ignores
    GS1-128. itf-14 is the 14-digit case code (AIM ]I1); itf also admits ITF of any length. DataBar is
    always GS1 (AIM ]e0).
    """
    confirm_frames: int = Field(2, ge=1)
    """A code must be seen in this many consecutive frames before it counts."""
    holdoff_seconds: float = Field(1.5, ge=0)
    """After a code counts, the same code counts again only after it has been out of view this long."""
    downscale: float = Field(1.0, gt=0, le=1)
    """Scale factor applied to frames before decoding (0.5 halves each side)."""
    roi: list[float] = Field(default_factory=list)
    """Region of interest as [x, y, width, height] fractions of the frame; empty means the whole frame."""
    deskew_degrees: float = Field(10.0, ge=0, le=45)
    """When a frame holds no code, also try it turned by ± this many degrees (1D codes only); 0 disables."""
    escalate_interval_ms: float = Field(250.0, ge=0)
    """A frame the fast pass read nothing in but that looks like it holds a code gets the thorough pass (as
    `aisle decode`) on its code-like regions, at most once per this many milliseconds (and never more than
    about a quarter of the time); 0 disables."""


class LabelSettings(_Section):
    """Internal label patterns (regular expressions matched against the whole scan)."""

    location: str = r"[A-Z]{1,2}-\d{2}-\d{2}-\d"
    """Location labels, for example A-03-02-1."""
    location_check_digit: bool = False
    """Location labels carry a trailing mod-10 check digit after a '*' (A-03-02-1*7)."""
    tote: str = r"T-\d{4,6}"
    """Tote labels, for example T-0042."""
    badge: str = r"OP-\d{3,6}"
    """Operator badges, for example OP-1001."""
    order: str = r"ORD-\d{1,9}"
    """Order / pack slip labels, for example ORD-1234 (the server's order id)."""
    rma: str = r"RMA-\d{1,9}"
    """Return authorisation labels, for example RMA-12."""
    command_prefix: str = "CMD-"
    """Command labels (CMD-SHORT, CMD-SKIP, CMD-UNDO, CMD-DONE, CMD-CANCEL …)."""


class BatchingSettings(_Section):
    """How accepted orders are grouped into work for the floor."""

    max_orders: int = Field(6, ge=1)
    """Most orders in one cluster-pick batch (one tote per order on the cart)."""
    max_lines: int = Field(20, ge=1)
    """Most order lines in one batch."""
    max_weight_g: int = Field(15000, ge=1)
    """Heaviest batch, in grams."""
    small_order_max_lines: int = Field(3, ge=1)
    """Orders with at most this many lines may be batched; larger ones are picked alone."""


class ShippingSettings(_Section):
    """Parcels: the carriers that take them, their labels, and the identifiers they get (SSCC-18, generic
    carriers' tracking numbers) with their ranges."""

    company_prefix: str = ""
    """The shop's GS1 company prefix (7 to 11 digits) in every SSCC; empty: no SSCCs are issued."""
    sscc_extension_digit: int = Field(0, ge=0, le=9)
    """The SSCC's first digit, chosen by the shop (0-9)."""
    sscc_serials: str = ""
    """SSCC serial references to use, FIRST-LAST; empty: all of them (16 - prefix length digits)."""
    tracking_ranges: list[str] = Field(default_factory=list)
    """Generic carriers' tracking-number ranges, CARRIER:SCHEME:P1:P2[:FIRST-LAST] (README, Parcel
    identifiers): ups (shipper, service), s10 (service indicator, country), mod10 (prefix, digits)."""
    block_size: int = Field(500, ge=1, le=100_000)
    """Numbers in one block leased to a station when it asks for no other size."""
    server_block_size: int = Field(100, ge=1, le=100_000)
    """Numbers the server takes at a time for the labels it makes itself."""

    carriers_file: str = "carriers.toml"
    """The carrier accounts and rate sheets (see README, Carriers), relative to the working directory;
    empty: no carriers."""
    label_template_dir: str = ""
    """Folder holding the shop's own parcel.zpl.j2 (a copy of app/labels/templates/parcel.zpl.j2 to edit);
    empty prints Aisle's. `aisle labels parcel` checks it (a template that does not render is named with its
    line); the packer flow does not print parcel labels yet."""
    label_dpi: int = Field(203, ge=100, le=600)
    """Resolution of the thermal label printers: 203 (812 x 1218 dots on 4 x 6 in) or 300 (1200 x 1800)."""

    @model_validator(mode="after")
    def _ranges_are_valid(self) -> ShippingSettings:
        self.ranges()
        return self

    def ranges(self) -> list[RangeSpec]:
        """The configured number ranges (ValueError naming the one that is wrong)."""
        found = (
            [sscc_range(self.company_prefix, self.sscc_extension_digit, self.sscc_serials)]
            if (self.company_prefix)
            else []
        )
        found += [tracking_range(spec) for spec in self.tracking_ranges]
        kinds = [r.kind for r in found]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"two tracking ranges have the same carrier and scheme: {kinds}")
        return found


class Settings(_Section):
    """All settings; each section mirrors a table of config.toml."""

    server: ServerSettings = Field(default_factory=ServerSettings)
    station: StationSettings = Field(default_factory=StationSettings)
    scanner: ScannerSettings = Field(default_factory=ScannerSettings)
    camera: CameraSettings = Field(default_factory=CameraSettings)
    labels: LabelSettings = Field(default_factory=LabelSettings)
    batching: BatchingSettings = Field(default_factory=BatchingSettings)
    shipping: ShippingSettings = Field(default_factory=ShippingSettings)


ENV_PREFIX = "AISLE_"


def _env_overrides(environ: dict[str, str]) -> dict[str, dict[str, Any]]:
    sections = Settings.model_fields
    out: dict[str, dict[str, Any]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        if section not in sections:
            raise SettingsError(f"{name}: there is no section [{section}] in config.toml")
        model = sections[section].annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        if key not in model.model_fields:
            raise SettingsError(f"{name}: [{section}] has no setting '{key}'")
        field = model.model_fields[key]
        parsed: Any = value
        if field.annotation == list[str]:
            parsed = [p.strip() for p in value.split(",") if p.strip()]
        elif field.annotation == list[float]:
            parsed = [float(p) for p in value.split(",") if p.strip()]
        out.setdefault(section, {})[key] = parsed
    return out


def _describe(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown setting '{where}' (check the spelling against config.toml)")
        else:
            lines.append(f"{source}: setting '{where}' {e['msg'].lower()} (got {e.get('input')!r})")
    return "; ".join(lines)


def default_config_path() -> Path:
    """The config file used when none is named: $AISLE_CONFIG, else ./config.toml."""
    return Path(os.environ.get("AISLE_CONFIG", "config.toml"))


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read config.toml (missing file → defaults), apply AISLE_* overrides, validate everything."""
    environ = dict(os.environ if environ is None else environ)
    path = path or default_config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    elif "AISLE_CONFIG" in environ and path == Path(environ["AISLE_CONFIG"]):
        raise SettingsError(f"AISLE_CONFIG names {path}, which does not exist")
    for section, values in _env_overrides(environ).items():
        data.setdefault(section, {}).update(values)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, str(path))) from None
