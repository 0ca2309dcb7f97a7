"""Comparing .docx files at the XML-part level (after docxcompose's tests):
a readable unified diff of pretty-printed XML, and the failing file kept for a person."""

from __future__ import annotations

import difflib
import os
import shutil
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FAILURES = ROOT / "tests" / "_failures"
#: The parts that carry the layout; docProps and rels are fixed by the renderer.
PARTS = ("word/document.xml", "word/styles.xml")


def pretty_parts(docx_bytes: bytes) -> dict[str, str]:
    import io

    out = {}
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        for name in PARTS:
            root = etree.fromstring(z.read(name))
            out[name] = etree.tostring(root, pretty_print=True, encoding="unicode")
    return out


def assert_matches_golden(name: str, docx_bytes: bytes) -> None:
    """Compare with tests/golden/<name>/<part>; PERFDOC_UPDATE_GOLDEN=1 rewrites the goldens."""
    parts = pretty_parts(docx_bytes)
    folder = GOLDEN / name
    if os.environ.get("PERFDOC_UPDATE_GOLDEN") == "1":
        folder.mkdir(parents=True, exist_ok=True)
        for part, text in parts.items():
            (folder / part.replace("/", "__")).write_text(text, "utf-8")
        return
    diffs = []
    for part, text in parts.items():
        golden = folder / part.replace("/", "__")
        expected = golden.read_text("utf-8") if golden.is_file() else ""
        if text != expected:
            diff = difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                        f"golden/{name}/{part}", f"built/{part}", lineterm="", n=2)
            diffs.append("\n".join(list(diff)[:200]))
    if diffs:
        FAILURES.mkdir(parents=True, exist_ok=True)
        kept = FAILURES / f"{name}.docx"
        kept.write_bytes(docx_bytes)
        raise AssertionError(
            f"{name}: the built document differs from the golden XML (kept for inspection: {kept}; "
            f"if the change is intended, rerun with PERFDOC_UPDATE_GOLDEN=1)\n" + "\n\n".join(diffs))


def keep(name: str, path: Path) -> Path:
    FAILURES.mkdir(parents=True, exist_ok=True)
    target = FAILURES / name
    shutil.copyfile(path, target)
    return target
