"""JSON Schema for each content type's front matter, generated from the model.

The same schema validates entries in ``hub check`` and is published for editors,
so the model is written once, in ``model/types.yml``. ``x-hub-*`` keywords tell
the validator what a value means (a taxonomy term, a reference) for its messages;
JSON Schema validators ignore them.
"""

from __future__ import annotations

import re
from datetime import date

from jsonschema import Draft202012Validator, FormatChecker

from knowledgehub.model.content import ContentModel, ContentType, Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^(https?://[^\s/.?#][^\s]*|mailto:[^\s@]+@[^\s@]+)$"
EMAIL_PATTERN = r"^[^\s@]+@[^\s@]+\.[^\s@]+$"


def valid_partial_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day or month."""
    if not isinstance(value, str) or not re.match(DATE_PATTERN, value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("partial-date")(lambda value: not isinstance(value, str) or valid_partial_date(value))


def field_schema(f: Field, model: ContentModel) -> dict:
    schema: dict = {}
    if f.help:
        schema["description"] = f.help
    kind = f.kind
    if kind in ("string", "text"):
        schema.update(type="string", minLength=1)
        if f.max_length:
            schema["maxLength"] = f.max_length
        if f.values:
            schema["enum"] = list(f.values)
    elif kind == "date":
        schema.update(type="string", pattern=DATE_PATTERN, format="partial-date")
    elif kind == "url":
        schema.update(type="string", pattern=URL_PATTERN)
    elif kind == "email":
        schema.update(type="string", pattern=EMAIL_PATTERN)
    elif kind in ("integer", "number"):
        schema["type"] = kind
        if f.min is not None:
            schema["minimum"] = f.min
    elif kind == "boolean":
        schema["type"] = "boolean"
    elif kind == "slug":
        schema.update(type="string", pattern=SLUG_PATTERN)
    elif kind == "country":
        schema.update(type="string", enum=sorted(model.countries))
        schema["x-hub-country"] = True
    elif kind == "term":
        schema.update(type="string", enum=list(model.vocabulary(f.target).terms))
        schema["x-hub-term"] = f.target
    elif kind == "ref":
        schema.update(type="string", pattern=SLUG_PATTERN)
        schema["x-hub-ref"] = f.target
    elif kind == "list":
        schema.update(type="array", items=field_schema(f.of, model))
        if f.min:
            schema["minItems"] = int(f.min)
    elif kind == "object":
        schema.update(object_schema(f.shape, model))
    if example := f.example:
        schema["examples"] = [example]
    return schema


def object_schema(fields: dict[str, Field], model: ContentModel) -> dict:
    schema = {
        "type": "object",
        "properties": {name: field_schema(f, model) for name, f in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, f in fields.items() if f.required]
    if required:
        schema["required"] = required
    return schema


def type_schema(ctype: ContentType, model: ContentModel, base_url: str = "") -> dict:
    schema = {
        "$schema": DIALECT,
        "title": f"{ctype.label} (Water Services Knowledge Hub)",
        "description": (
            f"Front matter of a {ctype.label.lower()} entry in content/{ctype.folder}/. {ctype.description}"
        ),
    }
    if base_url:
        schema["$id"] = f"{base_url.rstrip('/')}/schemas/{ctype.name}.schema.json"
    schema.update(object_schema(ctype.fields, model))
    return schema


class SchemaSet:
    """Validators per content type, built once per model.

    ``is_valid`` answers "is this entry valid?" with a schema compiled to Python
    code (fastjsonschema), which is many times faster; only entries that fail it
    are walked by ``validators`` (jsonschema) to explain every error.
    """

    def __init__(self, model: ContentModel):
        import fastjsonschema

        self.model = model
        self.schemas = {name: type_schema(ctype, model) for name, ctype in model.types.items()}
        self.validators = {
            name: Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
            for name, schema in self.schemas.items()
        }
        formats = {"partial-date": lambda value: not isinstance(value, str) or valid_partial_date(value)}
        self._fast = {
            # the keywords used are the same in draft 7, which fastjsonschema compiles
            name: fastjsonschema.compile({k: v for k, v in schema.items() if k != "$schema"}, formats=formats)
            for name, schema in self.schemas.items()
        }

    def is_valid(self, type_name: str, data: dict) -> bool:
        import fastjsonschema

        try:
            self._fast[type_name](data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True
