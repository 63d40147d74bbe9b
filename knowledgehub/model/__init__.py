"""The content model, read from model/*.yml, and what every stage shares: the project's
places, problems with file and line, the JSON Schema of each type and the walks over values."""
