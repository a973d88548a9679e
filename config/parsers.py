"""What a request may carry, checked once for every endpoint and page (issue 13 items 8 and 9).

- No NUL character (U+0000) anywhere: PostgreSQL cannot store one in text or jsonb, so a NUL that
  reached the database failed the request with a 500 (and SQLite stored it silently).
- No JSON nested deeper than MAX_JSON_DEPTH: Python's json module recurses once per level, and a
  2 KB body nested 1,000 levels deep raised RecursionError (a 500) before any view ran.

The REST API reads bodies through the parsers below (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES);
query strings and the form bodies of pages are checked by config.middleware.NulCharacterMiddleware.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
NUL = "\x00"
NUL_MESSAGE = _("요청에 허용되지 않는 NUL 문자(U+0000)가 들어 있습니다. 해당 문자를 지우고 다시 보내 주세요.")
TOO_DEEP_MESSAGE = _("JSON 본문이 너무 깊게 중첩되어 있습니다(최대 %(limit)d단계).")


class NulCharacter(ParseError):
    default_detail = NUL_MESSAGE
    default_code = "nul_character"


class TooDeep(ParseError):
    default_code = "json_too_deep"

    def __init__(self):
        super().__init__(TOO_DEEP_MESSAGE % {"limit": MAX_JSON_DEPTH})


def has_nul(querydict) -> bool:
    """Whether any key or value of a QueryDict (query string, form body) holds a NUL."""
    return any(NUL in key or any(NUL in str(value) for value in values) for key, values in querydict.lists())


def check_json(data, *, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise TooDeep or NulCharacter for a parsed JSON document; walked without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                raise NulCharacter()
        elif isinstance(value, (dict, list)):
            if depth > limit:
                raise TooDeep()
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise TooDeep() from None
        check_json(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if has_nul(data):
            raise NulCharacter()
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data_and_files = super().parse(stream, media_type, parser_context)
        if has_nul(data_and_files.data):
            raise NulCharacter()
        return data_and_files
