"""``hub build`` (the hosted site, atomically; with ``--with-usb`` the USB edition too)
and ``hub usb`` (the USB edition alone)."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "validate, then build the site into site/ (atomically)"
USB_HELP = "build the USB edition: a folder (and a .zip beside it) that works from the file system, offline"
USB_EDITION = "usb/water-services-knowledge-hub"


def add_arguments(parser) -> None:
    parser.add_argument("-d", "--site-dir", help="output folder (default: site_dir of mkdocs.yml)")
    parser.add_argument(
        "--with-usb",
        action="store_true",
        help="also build the USB edition and offer its zip for download on the site",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="a build to publish: refuse a site_url that is missing or on this machine (set HUB_SITE_URL)",
    )


def run(project, args) -> int:
    from knowledgehub.site.build import build_site

    if args.publish:
        from knowledgehub.site.settings import publishing_problem, site_settings

        problem = publishing_problem(site_settings(project).site_url)
        if problem:
            print(f"hub: {problem}", file=sys.stderr)
            return 2
    usb_zip = None
    if args.with_usb:
        from knowledgehub.outputs.usb import build_usb

        edition = project.root / "usb" / "water-services-knowledge-hub"
        status = build_usb(project, edition)
        if status != 0:
            return status
        usb_zip = edition.with_suffix(".zip")
    return build_site(project, site_dir=Path(args.site_dir) if args.site_dir else None, usb_zip=usb_zip)


def add_usb_arguments(parser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        default=USB_EDITION,
        help=f"edition folder (default: {USB_EDITION})",
    )


def run_usb(project, args) -> int:
    from knowledgehub.outputs.usb import build_usb

    return build_usb(project, Path(args.output))
