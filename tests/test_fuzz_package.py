"""Property tests for perfdoc/read/package.py: whatever bytes a .docx holds, opening it and
reading its text either works or raises PackageError (a Chinese message naming the file),
never any other exception, and quickly.

(a) random bytes, also behind a zip or OLE signature;
(b) a valid package truncated anywhere or with bytes overwritten anywhere (damaged
    central directory, local headers, deflate streams, CRCs);
(c) a valid zip whose document.xml is random text or random XML-ish markup.
"""

from __future__ import annotations

import os
import re
import time

from docx_samples import document_xml, package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdoc.read import PackageError, open_package
from perfdoc.read.text import document_text

EXAMPLES = int(os.environ.get("PERFDOC_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    derandomize="PERFDOC_FUZZ_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LABEL = "模糊.docx"
BASE = package({"word/styles.xml": "<w:styles xmlns:w='x'/>"}, document=document_xml("第一段", "第二段", "第三段"))


def _open(data: bytes) -> None:
    started = time.monotonic()
    try:
        text = document_text(data, label=LABEL)
        assert isinstance(text, str)
        open_package(data, label=LABEL).verify()
    except PackageError as exc:
        message = str(exc)
        assert message.startswith(f"{LABEL}：") and re.search(r"[\u4e00-\u9fff]", exc.reason), message
        assert "Traceback" not in message and " object at 0x" not in message
        message.encode("utf-8")  # printable
    assert time.monotonic() - started < 5


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_random_bytes(data, head):
    _open(head + data)


@SETTINGS
@given(st.integers(0, len(BASE)))
def test_truncated_package(cut):
    _open(BASE[:cut])


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_package(edits):
    data = bytearray(BASE)
    for at, value in edits:
        data[at] = value
    _open(bytes(data))


_MARKUP = st.lists(st.sampled_from([
    "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>",
    "</w:tc>", "<w:body>", "</w:body>", "<w:sdt>", "</w:sdt>", "<w:vMerge/>", "<w:ins>", "</w:ins>", "文字", "&amp;",
    "&lol;", "<!DOCTYPE x>", "<!ENTITY a 'b'>", "<![CDATA[x]]>", "<?pi x?>", "<!-- c -->", "\x00", "&#0;", "&#x1F600;",
]), max_size=60).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=500), _MARKUP.map(
    lambda body: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 f"{body}</w:document>")))
def test_random_document_xml(document):
    _open(package(document=document.encode("utf-8", "surrogatepass")))
