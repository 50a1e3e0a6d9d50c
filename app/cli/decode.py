"""`aisle decode IMAGE…`: what the camera decoder reads in still images, for installers checking labels."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import UserError
from app.config import load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `decode` subcommand."""
    parser = subparsers.add_parser(
        "decode",
        help="decode the barcodes in image files",
        description="Print one line per barcode found: file, symbology (AIM id), text (GS shown as <GS>). "
        "By default each image gets the thorough pass (zxing-cpp with rotation and inversion, then zbar as a "
        "second opinion, then contrast-equalised, sharpened, enlarged and turned copies); --decoder zxing or "
        "pyzbar reads with that decoder alone and the camera's fast settings. "
        "Exits with status 1 when an image holds no barcode or cannot be read.",
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, …)")
    parser.add_argument(
        "--decoder",
        choices=("thorough", "auto", "zxing", "pyzbar"),
        default="thorough",
        help="thorough (default: both decoders combined), or one decoder with the camera's fast settings",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Decode every image with the [camera] settings; 0 when each image held at least one barcode."""
    # lazy: OpenCV and the decoders (~100 ms, absent on some terminals) only for this command
    import cv2

    from devices.camera_decode import decode_frame
    from devices.decode_thorough import decode_thorough
    from devices.decoders import (
        DecoderError,
        ZxingTuning,
        check_symbologies,
        installed_backends,
        resolve_backend,
        show_gs,
    )

    camera = load_settings().camera
    thorough = args.decoder == "thorough"
    try:
        backend = (
            f"thorough: {' + '.join(installed_backends())}" if thorough else resolve_backend(args.decoder)
        )
        symbologies = check_symbologies(camera.symbologies)
    except DecoderError as exc:
        raise UserError(str(exc)) from None
    failed = 0
    for name in args.images:
        path = Path(name)
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) if path.is_file() else None
        if image is None:
            reason = "no such file" if not path.exists() else "not an image OpenCV can read"
            print(f"{name}: {reason}", file=sys.stderr)
            failed += 1
            continue
        if thorough:
            try:
                found = decode_thorough(image, symbologies)
            except DecoderError as exc:
                raise UserError(str(exc)) from None
        else:
            found = decode_frame(image, backend, symbologies, ZxingTuning(), camera.deskew_degrees)
        if not found:
            print(
                f"{name}: no barcode found ({backend}; symbologies: {', '.join(symbologies)})",
                file=sys.stderr,
            )
            failed += 1
        for d in found:
            print(f"{name}\t{d.symbology} ({d.aim or 'no AIM id'})\t{show_gs(d.text)}")
    return 1 if failed else 0
