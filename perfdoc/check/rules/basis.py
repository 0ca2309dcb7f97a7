"""二、立项依据 (narrative.basis): the documents a project rests on, named."""

from __future__ import annotations

import re

from ..base import Context, Finding, Rule

#: A document title in book-title marks: 《…》 or 〈…〉.
_TITLE = re.compile(r"《[^《》]+》|〈[^〈〉]+〉")
#: A 文号: 沪财绩〔2020〕6号, 财预[2021]101号, 〔2025〕第127号 (any bracket of the year).
_NUMBER = re.compile(r"[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*(?:第\s*)?\d+\s*号")


def names_a_document(text: str) -> bool:
    return bool(_TITLE.search(text) or _NUMBER.search(text))


class BasisWithoutDocument(Rule):
    """立项依据（文件依据）没有写出任何文件：既没有书名号中的文件名（《…》），也没有文号（〔2025〕127号）。

    经费说明“二、立项依据”的“1.文件依据”要写明项目依据的文件，审核时据以核对；“根据市委、区委相关会议
    精神”之类没有说出是哪一份文件。来源：项目经费情况说明的格式（二、立项依据 1.文件依据）。
    查 ``documents``（1.文件依据）和 ``text``（不分小项时的全文）；两者都没写时不报（空的一节由 PD503 报告），
    只写了 ``duties``（2.工作职能）时也不报。

    不合格::

        [narrative.basis]
        documents = "根据市委、区委相关会议精神。"

    合格::

        [narrative.basis]
        documents = "《中国共产党党和国家机关基层组织工作条例》"
    """

    code = "PD505"
    name = "basis-without-document"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        narrative = ctx.model.narrative
        basis = narrative.basis if narrative is not None else None
        if basis is None:
            return
        written = [(key, text) for key, text in (("documents", basis.documents), ("text", basis.text))
                   if text is not None and text.strip()]
        if not written or any(names_a_document(text) for _, text in written):
            return
        key, _ = written[0]
        yield Finding(("narrative", "basis", key),
                      "立项依据没有写出文件：应写明文件名（《…》）或文号（如〔2025〕127号）", value=False)
