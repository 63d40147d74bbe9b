"""Water Services Knowledge Hub: the engine that turns typed Markdown entries into a library.

Stages, one module each: ``model`` (content types and taxonomy, read from YAML),
``loader`` (front matter with line numbers), ``validate`` (schema, taxonomy and
references), ``catalog`` (resolved entries, back-links, facets), ``pages``
(generated listing pages), ``render`` (entry fact panels), ``build`` (the site,
written atomically). The MkDocs hooks and the ``hub`` command are thin adapters.
"""

__version__ = "0.1.0"
