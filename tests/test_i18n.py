"""The English catalogue is complete and compiled, and a visitor can switch the site to English."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from program.choices import Region

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

KOREAN_TITLE = "상생형 스마트공장 사업관리"
ENGLISH_TITLE = "Win-Win Smart Factory Program Management"

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?) (".*")$')
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def read_po(path):
    """Each entry of a .po file as a dict: flags, msgid, msgid_plural and msgstr (a list of forms)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#~"):
                entry["flags"].add("obsolete")
            elif line.startswith("#") or not line.strip():
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, text = match.groups()
                value = ast.literal_eval(text)
                if keyword.startswith("msgstr"):
                    entry["msgstr"].append(value)
                    current = ("msgstr", int(index or 0))
                else:
                    entry[keyword] = value
                    current = (keyword, None)
            else:  # a continuation line of the current string
                keyword, index = current
                if keyword == "msgstr":
                    entry["msgstr"][index] += ast.literal_eval(line)
                else:
                    entry[keyword] += ast.literal_eval(line)
        entries.append(entry)
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_PATH)
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 100, "the catalogue looks empty: run makemessages"
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    fuzzy = [e["msgid"] or "(header)" for e in entries if "fuzzy" in e["flags"]]
    obsolete = [e["msgid"] for e in entries if "obsolete" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []
    plurals = [e for e in messages if e["msgid_plural"] is not None]
    assert all(len(e["msgstr"]) == 2 for e in plurals)


def test_translations_keep_the_placeholders_of_the_source():
    wrong = []
    for entry in read_po(PO_PATH):
        if "python-format" not in entry["flags"]:
            continue
        expected = sorted(_PLACEHOLDER.findall(entry["msgid"]))
        wrong += [(entry["msgid"], s) for s in entry["msgstr"] if sorted(_PLACEHOLDER.findall(s)) != expected]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    with MO_PATH.open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("")  # the header: msgfmt leaves out POT-Creation-Date
    expected = {}
    for entry in read_po(PO_PATH):
        if not entry["msgid"]:
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if entry.get("msgctxt") else entry["msgid"]
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, n): form for n, form in enumerate(entry["msgstr"])})
    assert compiled == expected, "django.mo is stale: run `manage.py compilemessages --ignore=.venv`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs msgfmt (Debian package gettext)")
def test_the_committed_mo_is_byte_for_byte_what_compilemessages_makes(tmp_path):
    # The same command line as `manage.py compilemessages` runs.
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO_PATH)], check=True)
    assert fresh.read_bytes() == MO_PATH.read_bytes()


def test_choices_and_plurals_read_in_english():
    with translation.override("en"):
        assert [str(Region(code).label) for code in ("서울", "경기", "제주")] == ["Seoul", "Gyeonggi", "Jeju"]
        assert translation.ngettext("%(counter)s건", "%(counter)s건", 1) == "%(counter)s application"
        assert translation.ngettext("%(counter)s건", "%(counter)s건", 3) == "%(counter)s applications"


@pytest.mark.django_db
def test_the_site_is_korean_by_default(client):
    body = client.get("/").content.decode()
    assert '<html lang="ko">' in body
    assert KOREAN_TITLE in body
    assert ENGLISH_TITLE not in body


@pytest.mark.django_db
def test_the_language_cookie_switches_the_site_to_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert ENGLISH_TITLE in body
    assert KOREAN_TITLE not in body


@pytest.mark.django_db
def test_a_visitor_chooses_english_with_the_language_form(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert ENGLISH_TITLE in body
