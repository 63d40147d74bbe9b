"""``hub links``: every link, anchor and image of a built site, checked (by
``outputs.links.check_site``); links to other sites listed, or fetched with ``--fetch``
(which never changes the exit code).

Exit code: 0 when every internal link resolves, 1 when one does not, 2 when there
is no site to check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from knowledgehub.outputs.links import check_site

HELP = "check every internal link, anchor and image of the built site; list the external links"
FORMATS = ("text", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", metavar="DIR", help="the built site (default: site_dir of the project's mkdocs.yml)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default) or json")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the site's own URL; links to it count as internal (default: the home page's canonical link)",
    )
    parser.add_argument(
        "--fetch",
        action="store_true",
        help="also ask every external link for its status (never changes the exit code)",
    )


def run(args: argparse.Namespace) -> int:
    """``hub links``: 0 when every internal link resolves, 1 when one does not, 2 without a site."""
    if args.site:
        site = Path(args.site)
    else:
        from knowledgehub.model.project import Project, ProjectNotFound

        try:
            site = Project.find(config_file=getattr(args, "config_file", None)).site_dir
        except (ProjectNotFound, OSError) as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
    if not (site / "index.html").is_file():
        print(f"hub: no built site in {site} (run hub build first)", file=sys.stderr)
        return 2
    report = check_site(site, base_url=args.base_url, fetch=args.fetch)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    return 0 if report.ok else 1
