"""``hub serve``: the live preview."""

from __future__ import annotations

HELP = "live preview on http://127.0.0.1:8000/"


def add_arguments(parser) -> None:
    parser.add_argument("-a", "--dev-addr", default=None, help="address:port to serve on")


def run(project, args) -> int:
    import os

    from knowledgehub.site.build import serve_site
    from knowledgehub.site.preview import PREVIEW_ENV

    # the preview shows what only editors see (site/preview.py); a build never does
    os.environ[PREVIEW_ENV] = "1"
    return serve_site(project, dev_addr=args.dev_addr)
