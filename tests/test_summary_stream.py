"""The 汇总表 put together while the chunks come back (issue 14): perfdoc/render/document.py's
StreamedBody compresses each part as it comes, build/run.py's _SummaryStream feeds the
projects' forms in the department's order whatever order the chunks finish in.  The bytes are
those of render_bytes over all the parts at once."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from perfdoc.build.discover import Ref
from perfdoc.build.plan import Plan
from perfdoc.build.render import Chunk
from perfdoc.build.run import _SummaryStream
from perfdoc.render import document
from perfdoc.render.document import StreamedBody, render_bytes
from perfdoc.render.template import find_template

HEAD = ['<w:p><w:r><w:t>汇总表</w:t></w:r></w:p>', '<w:p><w:r><w:t>项目一览</w:t></w:r></w:p>']


def _form(i: int) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">项目{i} {"长文字" * (i * 37 % 500)}</w:t></w:r></w:p>'


@pytest.mark.parametrize("template", ["shanghai", "songjiang-2022", "huacao-2022"])
@pytest.mark.parametrize("page_numbers", ["none", "center", "outside"])
def test_a_body_compressed_as_it_comes_is_the_body_compressed_at_once(template, page_numbers):
    reference = find_template(template).reference
    forms = [_form(i) for i in range(200)]
    stream = StreamedBody(reference, HEAD, title="标题", subject="单位", page_numbers=page_numbers)
    for i, form in enumerate(forms):
        stream.add(form.encode("utf-8") if i % 2 else form)  # bytes from the workers, or text
    whole = render_bytes(reference, HEAD + forms, title="标题", subject="单位", page_numbers=page_numbers)
    assert stream.bytes() == whole


def test_a_reference_the_fast_path_cannot_use_keeps_the_parts():
    reference = find_template("shanghai").reference
    skeleton = document._skeleton(reference)
    saved, skeleton._deflated = skeleton._deflated, None  # as with a zipfile without the internals
    try:
        stream = StreamedBody(reference, HEAD, title="标题")
        for i in range(5):
            stream.add(_form(i).encode("utf-8"))
        assert stream.bytes() == render_bytes(reference, HEAD + [_form(i) for i in range(5)], title="标题")
    finally:
        skeleton._deflated = saved


def _plan() -> Plan:
    plan = Plan(Ref(Path("单位")))
    plan.summary_head = zlib.compress("".join(HEAD).encode("utf-8"))
    plan.summary_doc = ("2026年度项目绩效目标汇总表", "单位", find_template("shanghai").reference, "none")
    return plan


def _chunks(indexes: list[list[int]]) -> list[Chunk]:
    return [Chunk(0, Path("单位"), Path("版式"), Path("out"), [(i, Path(f"{i}.toml"), i + 1, f"{i}", [], i + 1)
                                                           for i in share]) for share in indexes]


def test_forms_go_in_in_the_departments_order_whatever_order_the_chunks_come_back_in():
    chunks = _chunks([[0, 1, 2], [3, 4, 5], [6, 7]])
    stream = _SummaryStream(_plan(), chunks, 0)
    for share in ([6, 7], [3, 4, 5], [0, 1, 2]):  # the last chunk back first
        stream.add([(i, _form(i).encode("utf-8")) for i in share])
        assert stream.next == (8 if share == [0, 1, 2] else 0)  # nothing goes in before project 0
    expected = render_bytes(_plan().summary_doc[2], HEAD + [_form(i) for i in range(8)],
                            title="2026年度项目绩效目标汇总表", subject="单位")
    assert stream.bytes() == expected
    assert stream.early == {}


def test_a_department_whose_forms_did_not_all_come_gets_no_summary():
    stream = _SummaryStream(_plan(), _chunks([[0, 1], [2, 3]]), 0)
    stream.add([(0, b"<w:p/>"), (1, b"<w:p/>")])
    stream.add([(3, b"<w:p/>")])  # project 2 could not be read while building
    assert stream.bytes() is None
