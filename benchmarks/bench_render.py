"""Time to render one project's two documents (申报表 + 经费说明), against the floor:
writing the same XML parts into a zip.  Goal: within 4x the floor (about 20 ms here).

    python benchmarks/bench_render.py [PROJECT_FILE]
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from perfdoc.load import load_paths  # noqa: E402
from perfdoc.render.declaration import build_declaration, declaration_xml  # noqa: E402
from perfdoc.render.document import render_bytes, to_bytes  # noqa: E402
from perfdoc.render.narrative import build_narrative, narrative_xml  # noqa: E402
from perfdoc.render.template import find_template  # noqa: E402


def _median(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "projects/2026-hongqiao/党群服务站.toml"
    loaded = load_paths([path])
    project = loaded.projects[0]
    dep = project.department
    template = find_template(dep.model.layout.template if dep and dep.model else None, path.parent)

    def render() -> list[bytes]:
        """What `perfdoc build` does for one project: both documents, XML straight into the zip."""
        return [render_bytes(template.reference, declaration_xml(project, template, number=1)),
                render_bytes(template.reference, narrative_xml(project, template, number=1))]

    def render_python_docx() -> list[bytes]:
        """The same documents through python-docx objects (the path the 汇总表 with attachments takes)."""
        return [to_bytes(build_declaration(project, template, number=1)),
                to_bytes(build_narrative(project, template, number=1))]

    documents = render()
    parts = []
    for data in documents:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts.append([(name, z.read(name)) for name in z.namelist()])

    def floor() -> None:
        for doc_parts in parts:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for name, blob in doc_parts:
                    z.writestr(name, blob)

    t_render = _median(render, 30)
    t_docx = _median(render_python_docx, 30)
    t_floor = _median(floor, 30)
    print(f"project: {project.model.name} ({len(project.model.indicators)} indicators)")
    print(f"render 申报表 + 经费说明: {t_render * 1000:.1f} ms")
    print(f"  (through python-docx objects: {t_docx * 1000:.1f} ms)")
    print(f"floor (same XML parts into a zip): {t_floor * 1000:.1f} ms")
    print(f"ratio: {t_render / t_floor:.1f}x the floor (goal: within 4x)")


if __name__ == "__main__":
    main()
