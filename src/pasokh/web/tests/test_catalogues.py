"""The fa and en catalogues are complete: every string the code marks has a translation."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
MARKERS = re.compile(r"gettext|{% ?translate|{% ?blocktranslate|\b_\(")


def packages_with_strings() -> list[Path]:
    found = []
    for directory in sorted(
        p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    ):
        sources = [*directory.rglob("*.py"), *directory.rglob("*.html")]
        sources = [s for s in sources if "tests" not in s.parts and "migrations" not in s.parts]
        if any(MARKERS.search(source.read_text(encoding="utf-8")) for source in sources):
            found.append(directory)
    return found


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy) for every entry but the header (plural forms joined)."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        fields: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith(("msgid", "msgstr")):
                current, _, literal = line.partition(" ")
                fields[current] = ast.literal_eval(literal)
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            text = "".join(v for k, v in fields.items() if k.startswith("msgstr"))
            entries[fields["msgid"]] = (text, fuzzy)
    return entries


@pytest.mark.parametrize("package", packages_with_strings(), ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_string_is_translated(package: Path, language: str) -> None:
    po = package / "locale" / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{package.name} has strings but no {language} catalogue (make messages)"
    untranslated = [msgid for msgid, (text, fuzzy) in read_po(po).items() if not text or fuzzy]
    assert not untranslated, f"{package.name}/{language}: {untranslated[:10]}"
    assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime - 1, "compile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (make install-test)")
@pytest.mark.parametrize("package", packages_with_strings(), ids=lambda p: p.name)
def test_the_catalogue_holds_every_marked_string(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
    shutil.rmtree(copy / "locale", ignore_errors=True)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fa", "-v", "0"],
        cwd=copy,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "pasokh.config.settings_test", "PATH": "/usr/bin:/bin"},
    )
    marked = set(read_po(copy / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    committed = set(read_po(package / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    assert not marked - committed, (
        f"run `make messages`: new strings {sorted(marked - committed)[:10]}"
    )
