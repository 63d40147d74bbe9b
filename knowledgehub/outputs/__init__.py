"""What a build writes besides the pages, and what the model generates: open data, feeds,
calendar, search indexes, the USB edition, workshop packs, schemas, templates and forms."""
