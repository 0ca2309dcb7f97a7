"""Word → PDF through LibreOffice headless: a small pool of batch converters.

Each worker is one ``soffice`` process converting a batch of documents, with its own
throw-away user profile (two builds, or a user's open LibreOffice, never collide) and
perfdoc's fontconfig (Chinese fonts with Simplified Chinese glyphs, see ``fonts.py``).
A worker that makes no progress for ``timeout`` seconds is killed; the documents it had
not converted are tried once more in a new process, then reported.  Every PDF is written
under a temporary name inside the output folder and renamed into place, so a reader never
sees half a PDF and a killed build leaves only ``.perfdoc-tmp-*`` folders that the next
build removes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import tmp_prefix
from .fonts import fontconfig_xml

__all__ = ["ConvertError", "ConvertResult", "find_soffice", "convert", "convert_to_pdf", "INSTALL_HINT", "TARGETS"]

INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
#: Seconds a converter may go without finishing a document before it counts as hung.
DEFAULT_TIMEOUT = 180.0
#: LibreOffice 7.4 silently stops after about 250 documents named on one command line:
#: a worker starts it again (with the same profile) for each slice of this many.
MAX_FILES_PER_START = 200


class ConvertError(Exception):
    """The converter cannot run at all (no LibreOffice); the message is for the user."""


@dataclass
class ConvertResult:
    converted: list[Path] = field(default_factory=list)  # PDFs written
    failed: dict[Path, str] = field(default_factory=dict)  # .docx -> why (in Chinese)


def find_soffice() -> str:
    """The LibreOffice program, or ConvertError naming the package to install."""
    explicit = os.environ.get("PERFDOC_SOFFICE")
    found = explicit if explicit and Path(explicit).is_file() else None
    found = found or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConvertError(f"生成 PDF 需要 LibreOffice，但没有找到 soffice：请安装 libreoffice-writer-nogui"
                           f"（如 {INSTALL_HINT}）")
    return found


def _batches(jobs: list[tuple[Path, Path]], n: int) -> list[list[tuple[Path, Path]]]:
    """Split into at most n batches of about equal work (largest first, each to the lightest batch)."""
    n = max(1, min(n, len(jobs)))
    batches: list[list[tuple[Path, Path]]] = [[] for _ in range(n)]
    load = [0] * n
    for job in sorted(jobs, key=lambda j: _work(j[0]), reverse=True):
        i = load.index(min(load))
        batches[i].append(job)
        load[i] += _work(job[0])
    return [b for b in batches if b]


#: Converting a document costs a fixed part (opening it) and a part that grows with its text;
#: measured here with LibreOffice 7.4: about 45 ms + 1.1 µs per byte of word/document.xml,
#: so the fixed part weighs as much as 40 kB of document.xml.
_FIXED_WORK = 40_000


def _work(path: Path) -> int:
    """The expected conversion work of a .docx, in bytes of word/document.xml (+ the fixed part).

    A 汇总表 compresses far better than a single form, so its file size says little; the size
    of its main part, read from the zip's directory without inflating anything, says more."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return z.getinfo("word/document.xml").file_size + _FIXED_WORK
    except (OSError, KeyError, zipfile.BadZipFile):
        try:
            return path.stat().st_size + _FIXED_WORK
        except OSError:
            return _FIXED_WORK


class _Worker:
    """One soffice process for one batch, in its own temporary folder under ``workdir``."""

    def __init__(self, soffice: str, workdir: Path, timeout: float, target: str = "pdf"):
        self.soffice = soffice
        self.timeout = timeout
        self.target = target
        self.root = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix()}{target}-", dir=workdir)).absolute()  # as_uri needs it

    def run(self, batch: list[tuple[Path, Path]]) -> tuple[list[Path], dict[Path, str]]:
        try:
            return self._run(batch)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, batch):
        src, dst = self.root / "in", self.root / "out"
        src.mkdir()
        dst.mkdir()
        (self.root / "fonts.conf").write_text(fontconfig_xml(cache_dir=str(self.root / "fc-cache")), "utf-8")
        names = {}
        for i, (docx, _) in enumerate(batch):
            name = f"{i:05d}{docx.suffix.lower()}"  # plain names: no two documents collide, no odd characters
            try:
                os.link(docx, src / name)
            except OSError:
                shutil.copyfile(docx, src / name)
            names[name] = i
        env = {**os.environ, "FONTCONFIG_FILE": str(self.root / "fonts.conf"), "HOME": str(self.root)}
        cmd = [self.soffice, f"-env:UserInstallation={(self.root / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--convert-to", TARGETS[self.target][0],
               "--outdir", str(dst)]
        ordered = sorted(names)
        problem = ""
        for start in range(0, len(ordered), MAX_FILES_PER_START):
            chunk = ordered[start:start + MAX_FILES_PER_START]
            problem = self._wait(cmd + [str(src / n) for n in chunk], env, dst)
            if problem:
                break  # what is left is retried (the first document left alone: it is the suspect)
        done, failed = [], {}
        for name, i in sorted(names.items()):
            docx, pdf = batch[i]
            made = dst / f"{Path(name).stem}.{self.target}"
            if made.is_file() and made.stat().st_size > 0 and TARGETS[self.target][1](made):
                pdf.parent.mkdir(parents=True, exist_ok=True)
                tmp = pdf.parent / f"{tmp_prefix()}{pdf.name}"
                shutil.move(str(made), tmp)  # same file system as the destination: the rename is atomic
                os.replace(tmp, pdf)
                done.append(pdf)
            else:
                failed[docx] = problem or f"LibreOffice 没有生成 {self.target.upper()}"
        return done, failed

    def _wait(self, cmd, env, dst: Path) -> str:
        """Run, killing the process when no PDF appears for ``timeout`` seconds; '' or what went wrong."""
        try:
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            return f"无法启动 LibreOffice：{exc.strerror or exc}"
        seen, last = 0, time.monotonic()
        try:
            while True:
                try:
                    proc.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    pass
                count = sum(1 for _ in dst.glob(f"*.{self.target}"))
                if count != seen:
                    seen, last = count, time.monotonic()
                elif time.monotonic() - last > self.timeout:
                    _kill(proc)
                    return f"LibreOffice 超过 {self.timeout:g} 秒没有响应，已终止"
        except BaseException:
            _kill(proc)
            raise
        if proc.returncode != 0:
            return f"LibreOffice 异常退出（退出码 {proc.returncode}）"
        return ""


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _complete_pdf(path: Path) -> bool:
    """A PDF LibreOffice finished: it ends with %%EOF (a killed converter leaves a truncated file)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in fh.read()


def _complete_zip(path: Path) -> bool:
    """A .docx LibreOffice finished: a zip ending with its end-of-central-directory record."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 65536 - 22))
        return b"PK\x05\x06" in fh.read()


#: What LibreOffice can make: target → (its --convert-to filter, the check that a file is whole).
TARGETS = {
    "pdf": ("pdf:writer_pdf_Export", _complete_pdf),
    "docx": ("docx:MS Word 2007 XML", _complete_zip),
}


def convert_to_pdf(jobs: list[tuple[Path, Path]], workdir: Path, *, workers: int | None = None,
                   timeout: float = DEFAULT_TIMEOUT, soffice: str | None = None) -> ConvertResult:
    """Convert each (docx, pdf) pair: :func:`convert` to PDF."""
    return convert(jobs, workdir, target="pdf", workers=workers, timeout=timeout, soffice=soffice)


def convert(jobs: list[tuple[Path, Path]], workdir: Path, *, target: str = "pdf", workers: int | None = None,
            timeout: float = DEFAULT_TIMEOUT, soffice: str | None = None) -> ConvertResult:
    """Convert each (document, output) pair to ``target`` (a key of TARGETS: ``pdf``, or ``docx`` for a
    Word 97-2003 .doc); ``workdir`` (inside the output folder) holds the temporary files.

    Raises ConvertError when LibreOffice is not installed; a document that fails twice is
    reported in ``failed`` and leaves no PDF behind (an older PDF of it is removed: it would
    show the old content).
    """
    result = ConvertResult()
    if not jobs:
        return result
    soffice = soffice or find_soffice()
    workers = workers or os.cpu_count() or 1
    workdir.mkdir(parents=True, exist_ok=True)
    targets = dict(jobs)
    batches = _batches(list(jobs), workers)
    for attempt in (1, 2):
        with ThreadPoolExecutor(max_workers=len(batches)) as pool:
            outcomes = list(pool.map(lambda b: _Worker(soffice, workdir, timeout, target).run(b), batches))
        suspects, others = [], []
        for done, bad in outcomes:
            result.converted.extend(done)
            if attempt == 2:
                result.failed.update(bad)
            elif bad:
                # LibreOffice converts in argument order: the first document left is the one that
                # hung or crashed; it is retried alone so that it cannot take the others down again
                first, *rest = bad
                suspects.append([(first, targets[first])])
                others.extend((docx, targets[docx]) for docx in rest)
        batches = suspects + (_batches(others, workers) if others else [])
        if not batches:
            break
    for docx in result.failed:
        stale = targets[docx]
        if stale.is_file():
            stale.unlink()
    return result
