"""MkDocs hooks: the thin adapter between MkDocs and the hub engine. Each event hands its
arguments to the engine, with the one state of the build (knowledgehub/site/state.py).

on_config       load and validate the library (abort with every problem on error);
                make `mkdocs build` write to a staging folder         (site/state.py)
on_files        drop drafts, add the generated pages, put the entries last
on_pre_page     large libraries: fork the workers that render the entry pages
on_page_context hand each entry / generated page its HTML from the renderer
                                                                      (site/pipeline.py)
on_post_build   the open data, search indexes, schemas, edition files (outputs/publish.py)
on_shutdown     swap the staging folder in, only if the build succeeded (site/state.py)
"""

from __future__ import annotations

from knowledgehub.outputs.publish import after_build
from knowledgehub.outputs.usb import edition_info
from knowledgehub.site import navigation, pipeline
from knowledgehub.site.state import BuildState

_build = BuildState()


def on_startup(command, dirty):
    _build.command = command


def on_config(config):
    _build.start(config, edition_of=edition_info)
    navigation.apply(config["nav"], _build.catalog.model)
    return config


def on_files(files, config):
    return pipeline.arrange_files(_build, files, config)


def on_nav(nav, config, files):
    _build.nav = nav
    return nav


def on_env(env, config, files):
    return pipeline.theme_env(_build, env, config)


def on_page_read_source(page, config):
    return pipeline.page_source(_build, page)


def on_pre_page(page, config, files):
    pipeline.before_page(_build, page, config, files)
    return page


def on_page_context(context, page, config, nav):
    return pipeline.page_context(_build, context, page, config)


def on_page_content(html, page, config, files):
    return pipeline.page_content(_build, html)


def on_post_page(output, page, config):
    # the live preview shows the problems of invalid content over the last good pages
    return _build.with_problems(pipeline.page_output(_build, output), page.url)


def on_post_template(output_content, template_name, config):
    return pipeline.page_output(_build, output_content)


def on_template_context(context, template_name, config):
    # templates rendered outside pages (404.html) link from the site root
    return pipeline.link_context(_build, context, config, "")


def on_post_build(config):
    after_build(_build, config)


def on_build_error(error):
    _build.failed()


def on_shutdown():
    _build.finish()
