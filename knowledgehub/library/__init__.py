"""The library as data: entry files loaded with line numbers, validated against the model
and the policy, and the catalog of resolved entries, back-links, items and facets."""
