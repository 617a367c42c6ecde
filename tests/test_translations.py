"""Translation gates: every user-facing string is marked, both catalogues are complete and current."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "roer"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("nl", "en")

# Text that is the same in every language.
UNTRANSLATED_WORDS = {"Roer", "Nederlands", "English", "n", "PDF", "CSV", "Excel", "JSON"}  # names, the same in both


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def entry_key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in catalogue(language).translated_entries():
        expected = set(placeholder.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(placeholder.findall(translation)) == expected, entry.msgid


def test_the_english_catalogue_repeats_the_source_text():
    for entry in catalogue("en"):
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
        else:
            assert entry.msgstr == entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {entry_key(entry): (entry.msgstr, entry.msgstr_plural) for entry in mo if entry.msgid}
    source = {entry_key(entry): (entry.msgstr, entry.msgstr_plural) for entry in po.translated_entries() if entry.msgid}
    assert compiled == source, "run `make messages` to recompile"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (make test installs it)")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language):
    command = ["msgfmt", "--check", "-o", os.devnull, str(LOCALE / language / "LC_MESSAGES" / "django.po")]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - fixed arguments, gettext from PATH


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test installs it)")
def test_makemessages_would_not_change_the_catalogue(tmp_path):
    copy = tmp_path / "roer"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    cwd = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["nl"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    fresh = {entry_key(entry) for entry in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    for language in LANGUAGES:
        committed = {entry_key(entry) for entry in catalogue(language)}
        assert sorted(fresh - committed) == [], f"new strings missing from {language}: run `make messages`"
        assert sorted(committed - fresh) == [], f"{language} holds strings no longer used: run `make messages`"


# --- Python: user-facing strings passed without a translation call ------------------------------------

TRANSLATION_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
TEXT_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "message"}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "debug", "add_message"}
SKIPPED_PARTS = {"migrations", "management", "scoring", "demo"}


def _is_text(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{2}", node.value))
    )


def _untranslated(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in TRANSLATION_CALLS:
                continue
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS and _is_text(keyword.value):
                    found.append((node.lineno, f"{keyword.arg}={keyword.value.value!r}"))  # type: ignore[attr-defined]
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    found += [(node.lineno, repr(v.value)) for v in keyword.value.values if _is_text(v)]  # type: ignore[attr-defined]
            if name == "ValidationError" and node.args and _is_text(node.args[0]):
                found.append((node.lineno, repr(node.args[0].value)))  # type: ignore[attr-defined]
            is_message = isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "messages"
            if name in MESSAGE_FUNCTIONS and is_message and any(_is_text(arg) for arg in node.args):
                found.append((node.lineno, "messages." + name))
        if isinstance(node, ast.ClassDef) and any(getattr(base, "attr", "").endswith("Choices") for base in node.bases):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    label = statement.value.elts[-1]
                    if _is_text(label):
                        found.append((statement.lineno, f"choice label {label.value!r}"))  # type: ignore[attr-defined]
    return found


def test_user_facing_python_strings_are_marked_for_translation():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts):
            continue
        for line, text in _untranslated(ast.parse(path.read_text(encoding="utf-8"))):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert problems == []


def test_the_python_check_notices_an_unmarked_label():
    code = 'from django import forms\nclass F(forms.Form):\n    name = forms.CharField(label="Name")\n'
    assert _untranslated(ast.parse(code)) == [(3, "label='Name'")]


# --- Templates: visible text outside translation tags -------------------------------------------------

_BLOCK = re.compile(r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_SKIP_ELEMENTS = re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.S | re.I)
_VISIBLE_ATTRIBUTES = re.compile(r'\b(?:title|alt|aria-label|placeholder)="([^"]*)"')
_HTML_TAG = re.compile(r"<[^>]+>")
_ATTRIBUTE = re.compile(r'\b[\w-]+="[^"]*"')  # attributes written by a block outside their tag


def visible_untranslated_text(source: str) -> list[str]:
    text = _BLOCK.sub(" ", source)
    text = _SKIP_ELEMENTS.sub(" ", text)
    text = _TAG.sub(" ", text)
    attributes = _VISIBLE_ATTRIBUTES.findall(text)
    text = _ATTRIBUTE.sub(" ", _HTML_TAG.sub(" ", text))
    words = re.findall(r"[^\W\d_][\w'’-]*", " ".join([text, *attributes]))
    return [word for word in words if word not in UNTRANSLATED_WORDS]


def test_templates_have_no_visible_text_outside_translation_tags():
    problems = {}
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        words = visible_untranslated_text(path.read_text(encoding="utf-8"))
        if words:
            problems[str(path.relative_to(ROOT))] = words
    assert problems == {}


def test_the_template_check_notices_plain_text_and_attributes():
    assert visible_untranslated_text("<p>Hallo {{ name }}</p>") == ["Hallo"]
    assert visible_untranslated_text('<img alt="Logo" src="x">') == ["Logo"]
    assert (
        visible_untranslated_text(
            "<p>{% translate 'Hallo' %} {% blocktranslate %}Hi {{ x }}{% endblocktranslate %}</p>"
        )
        == []
    )
