"""The site: URLs, display formatting, the generated pages and their kinds, rendering with
the theme's templates (in parallel for large libraries), and the atomic output folder."""
