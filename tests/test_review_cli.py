"""``perfdoc review`` as a user meets it: the summary 审核意见.md and the JSON, exit codes, a fault
between the 经费说明 and the form commented at both places, comments already in a document,
bad documents and the output folder's rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lxml import etree

from conftest import PROJECTS, ROOT, run_cli
from test_review import W, assert_copy_is_original_plus_comments, comments_of, foreign_form, parts_of, review

SUMMARY = """\
# 审核意见

perfdoc review 审核了 1 个文件，发现 3 个问题（错误 2 个，警告 1 个）。每个问题都已作为批注（作者 perfdoc）写在审核后的文件中问题所在的单元格或段落旁。

## 收到的申报表.docx

审核后的文件：收到的申报表-审核.docx；发现 3 个问题（错误 2 个，警告 1 个）。

### 社区服务项目

1. 错误 PD101 第 1 个表格第 5 行“1,650,000.00”：项目资金总额 1,650,000.00 元 ≠ 财政资金 1,500,000.00 元 + 其他资金 100,000.00 元（= 1,600,000.00 元，相差 50,000.00 元）
2. 警告 PD401 第 1 个表格第 17 行“=100个”：“服务完成率”是比率，指标值却用计数单位“个”：=100个（应为 %）
3. 错误 PD303 第 1 个表格第 20 行“居民满意度”：三级指标“居民满意度”重复（第一次出现在第 1 个表格第 19 行）

未审核：“社区服务项目”的项目经费情况说明不在所给文件中，经费说明没有审核（请把经费说明与申报表一同审核）。

## 合计

| 文件 | 问题 | 错误 | 警告 |
| --- | ---: | ---: | ---: |
| 收到的申报表.docx | 3 | 2 | 1 |
| 合计 | 3 | 2 | 1 |
"""


def test_readme_shows_this_summary():
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme[readme.index("```markdown\n", readme.index("## perfdoc review")) + len("```markdown\n"):]
    assert block[:block.index("```\n")] == SUMMARY


def _form(tmp_path: Path, name: str = "收到的申报表.docx", **kwargs) -> Path:
    path = tmp_path / name
    path.write_bytes(foreign_form(**kwargs))
    return path


def test_summary_lists_each_finding_with_code_place_and_message(tmp_path):
    form = _form(tmp_path)
    done = review(form, out=tmp_path / "审核结果")
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "审核结果" / "审核意见.md").read_text("utf-8") == SUMMARY
    doc, = json.loads(done.stdout)["documents"]
    assert doc["file"] == str(form) and doc["reviewed"] == f"{tmp_path / '审核结果'}/收到的申报表-审核.docx"
    assert doc["projects"] == ["社区服务项目"] and doc["comments"] == 3
    assert doc["findings"][2] == {
        "code": "PD303", "name": "duplicate-indicator", "severity": "error",
        "message": "三级指标“居民满意度”重复（第一次出现在第 1 个表格第 19 行）", "project": "社区服务项目",
        "places": [{"file": str(form), "where": "第 1 个表格第 20 行", "text": "居民满意度", "exact": True}],
        "advice": "合格示例：一级指标“满意度指标”；二级指标“服务对象满意度指标”；三级指标名称“活动参与人员满意度”；年度指标值“≥90%”。",
    }
    assert json.loads(done.stdout)["summary"] == {"documents": 1, "findings": 3, "errors": 2, "warnings": 1}


def test_no_finding_exits_0_and_the_copy_is_the_received_file(tmp_path):
    form = _form(tmp_path, faults=False)
    done = review(form, out=tmp_path / "out", fmt="text")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "收到的申报表-审核.docx").read_bytes() == form.read_bytes()
    assert "共审核 1 个文件，没有发现问题；" in done.stdout
    assert "perfdoc review 审核了 1 个文件，没有发现问题。\n" in (tmp_path / "out" / "审核意见.md").read_text("utf-8")


def test_comments_already_in_the_document_are_kept(tmp_path):
    form = _form(tmp_path, comment=True)
    assert review(form, out=tmp_path / "out").returncode == 1
    reviewed = tmp_path / "out" / "收到的申报表-审核.docx"
    comments = list(etree.fromstring(parts_of(reviewed)["word/comments.xml"]).iter(W + "comment"))
    assert [(c.get(W + "author"), c.get(W + "id")) for c in comments] == [
        ("张三", "0"), ("perfdoc", "1"), ("perfdoc", "2"), ("perfdoc", "3")]
    assert [c.get(W + "date") for c in comments[1:]] == ["2000-01-01T00:00:00Z"] * 3
    assert_copy_is_original_plus_comments(form, reviewed)
    # reviewed again: the new comments come after, with ids of their own
    again = tmp_path / "again"
    assert review(reviewed, out=again).returncode == 1
    twice = again / "收到的申报表-审核-审核.docx"
    ids = [c.get(W + "id") for c in etree.fromstring(parts_of(twice)["word/comments.xml"]).iter(W + "comment")]
    assert ids == ["0", "1", "2", "3", "4", "5", "6"]
    assert_copy_is_original_plus_comments(reviewed, twice)


def test_comment_ids_follow_the_document_order(tmp_path):
    form = _form(tmp_path)
    review(form, out=tmp_path / "out")
    root = etree.fromstring(parts_of(tmp_path / "out" / "收到的申报表-审核.docx")["word/document.xml"])
    assert [r.get(W + "id") for r in root.iter(W + "commentReference")] == ["0", "1", "2"]


def test_faults_between_two_places_are_commented_at_both(tmp_path):
    """The 经费说明's amount against the form's (PD104), a form's year against the 汇总表's title (PD205)."""
    example = tmp_path / "2022-songjiang"
    shutil.copytree(PROJECTS / "2022-songjiang", example)
    project = example / "党组织建设.toml"
    text = project.read_text("utf-8")
    assert "整个项目预算为102万" in text
    project.write_text(text.replace("整个项目预算为102万", "整个项目预算为120万"), "utf-8")
    other = example / "业务培训.toml"
    text = other.read_text("utf-8")
    assert "\nyear = 2022\n" in text
    other.write_text(text.replace("\nyear = 2022\n", "\nyear = 2023\n", 1), "utf-8")
    assert run_cli("build", str(example), "--force", "-o", str(tmp_path / "built")).returncode == 0
    summary = tmp_path / "built" / "2022-songjiang" / "2022年度项目绩效目标汇总表.docx"
    assert review(summary, out=tmp_path / "out").returncode == 1
    found = [c for c in comments_of(tmp_path / "out" / "2022年度项目绩效目标汇总表-审核.docx") if "PD104" in c[0]]
    calculation = "1.资金测算：按照往年的活动规模与参加人数，整个项目预算为120万，其中党建阵地建设预算56万，群团工作预算为46万。"
    message = "【错误 PD104】经费说明写“整个项目预算为120万”，而申报表的项目资金总额是 102 万元（1,020,000.00 元）"
    assert [(text.split("\n")[:2], anchored) for text, anchored in found] == [
        ([message, "另见第 2 个表格第 4 行“1020000”。"], calculation),
        ([message, "对应第 16 段“1.资金测算：按照往年的活动规模与参加人数，整个…”。"], "1020000"),
    ]
    # the year of a form against the 汇总表's title: both places too
    found = [c for c in comments_of(tmp_path / "out" / "2022年度项目绩效目标汇总表-审核.docx") if "PD205" in c[0]]
    message = "【错误 PD205】项目年度 2023 与单位年度 2022（汇总表标题）不一致"
    assert [(text.split("\n")[:2], anchored) for text, anchored in found] == [
        ([message, "对应第 66 段“（2023年度）”。"], "中共上海市松江区区级机关工作委员会2022年度项目绩效目标汇总表"),
        ([message, "另见第 1 段“中共上海市松江区区级机关工作委员会2022年度项…”。"], "（2023年度）"),
    ]


# -- bad documents and the output folder ------------------------------------------------------------

def test_bad_documents_exit_2_naming_the_file_and_write_nothing(tmp_path):
    import docx

    not_zip = tmp_path / "不是文档.docx"
    not_zip.write_bytes(b"%PDF-1.4 not a word document")
    note = docx.Document()
    note.add_paragraph("会议纪要")
    note.add_paragraph("今天开会讨论了明年的工作。")
    meeting = tmp_path / "会议纪要.docx"
    note.save(meeting)
    lone = docx.Document()
    lone.add_paragraph("老年助餐项目项目经费情况说明")  # no 申报表 of that project given
    lone.add_paragraph("一、项目概述")
    lone.add_paragraph("二、立项依据")
    narrative = tmp_path / "经费说明.docx"
    lone.save(narrative)
    from docx_samples import billion_laughs, ole, package, zip_bomb

    entities = tmp_path / "实体.docx"
    entities.write_bytes(package(document=billion_laughs()))
    bomb = tmp_path / "炸弹.docx"
    bomb.write_bytes(zip_bomb())
    locked = tmp_path / "有密码.docx"
    locked.write_bytes(ole(["EncryptionInfo", "EncryptedPackage"]))
    form = _form(tmp_path)
    for bad, says in ((entities, "声明了 DOCTYPE 或实体"), (bomb, "可能是“压缩炸弹”"), (locked, "设有打开密码"),
                      (not_zip, "这是 PDF 文件，不是 Word（.docx）文件"),
                      (meeting, "其中没有申报表、项目经费情况说明或自评表，不是可以审核的文档"),
                      (narrative, "其中只有项目经费情况说明或自评表，没有申报表"),
                      (tmp_path / "没有这个文件.docx", "没有这个文件.docx")):
        done = review(form, bad, out=tmp_path / "out", fmt="text")
        assert done.returncode == 2, (bad, done.stdout, done.stderr)
        assert done.stderr.startswith(f"perfdoc: {bad}") and says in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "out").exists()


def test_output_folder_rules(tmp_path):
    (tmp_path / "收到的文件").mkdir()
    form = _form(tmp_path / "收到的文件")
    # the folder of the received files is refused: the copies would mix with them
    done = review(form, out=form.parent, fmt="text")
    assert done.returncode == 2 and "中有输入文件" in done.stderr, done.stderr
    out = tmp_path / "审核结果"
    out.mkdir()
    mine = out / "收到的申报表-审核.docx"
    mine.write_bytes(b"someone's own file")
    done = review(form, out=out, fmt="text")
    assert done.returncode == 2 and "不是 perfdoc 生成的" in done.stderr, done.stderr
    assert mine.read_bytes() == b"someone's own file" and not (out / "审核意见.md").exists()
    assert review(form, out=out, fmt="text").returncode == 2
    done = run_cli("review", str(form), "-o", str(out), "--overwrite")
    assert done.returncode == 1, done.stderr
    # perfdoc's own files are replaced by a second review while nobody changed them
    assert review(form, out=out, fmt="text").returncode == 1
    (out / "审核意见.md").write_text("我的修改", "utf-8")
    done = review(form, out=out, fmt="text")
    assert done.returncode == 2 and "审核意见.md" in done.stderr
    assert (out / "审核意见.md").read_text("utf-8") == "我的修改"


def test_a_value_that_cannot_be_read_is_a_finding_at_its_cell(tmp_path):
    """An impossible date and a 项目性质 that is none of the three: each commented where it is printed
    (the loader's message for the value as printed), not as a missing key."""
    import io

    import docx

    document = docx.Document(io.BytesIO(foreign_form(faults=False)))
    table = document.tables[0]
    table.cell(1, 1).paragraphs[0].runs[0].text = "临时项目"
    table.cell(3, 1).paragraphs[0].runs[0].text = "2024.13.01"
    form = tmp_path / "申报表.docx"
    document.save(form)
    done = review(form, out=tmp_path / "out", fmt="text")
    assert done.returncode == 1, done.stderr
    assert [(text.split("\n")[0], anchored) for text, anchored in comments_of(tmp_path / "out" / "申报表-审核.docx")] == [
        ("【错误 PD002】project.nature（项目性质：经常性项目、一次性项目或阶段性项目（表上有此栏时填写）） 只能是 “经常性项目”, "
         "“一次性项目” 或 “阶段性项目”，而不是 “临时项目”", "临时项目"),
        ("【错误 PD002】project.start（计划开始日期，如 2026-01-01）：日期“2024.13.01”不存在", "2024.13.01"),
    ]
    assert "PD003" not in done.stdout


def test_what_belongs_to_no_form_is_listed_as_not_reviewed(tmp_path):
    import io

    import docx

    document = docx.Document(io.BytesIO(foreign_form(faults=False)))
    document.add_paragraph("附件：社区服务活动安排表（另附）")
    form = tmp_path / "申报表.docx"
    document.save(form)
    done = review(form, out=tmp_path / "out", fmt="text")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  未审核：第 3 段“附件：社区服务活动安排表（另附）”：不属于任何一张表\n" in done.stdout
    assert "未审核的内容：\n- 第 3 段“附件：社区服务活动安排表（另附）”：不属于任何一张表\n" in (
        tmp_path / "out" / "审核意见.md").read_text("utf-8")


def test_a_foreign_narrative_sent_apart(tmp_path):
    """A 经费说明 made elsewhere, in a file of its own: its faults at its paragraphs, a missing section at
    its title, the amount against the form's in both files (each comment naming the other file), a
    项目概述 that is not the layout's sentence listed as not reviewed (not as an empty section)."""
    import docx

    form = _form(tmp_path, "申报表.docx", faults=False)
    narrative = docx.Document()
    for text in ("社区服务项目项目经费情况说明", "一、项目概述", "本项目为辖区居民提供社区服务。", "二、立项依据",
                 "1.文件依据：根据街道工作安排。", "2.工作职能：负责社区服务。", "三、实施主体", "某街道社区服务中心",
                 "六、年度预算安排", "1.资金测算：本年度预算资金180万元。"):
        narrative.add_paragraph(text)
    narrative.save(tmp_path / "经费说明.docx")
    done = review(form, tmp_path / "经费说明.docx", out=tmp_path / "out", fmt="text")
    assert done.returncode == 1, done.stderr
    amount = "【错误 PD104】经费说明写“本年度预算资金180万元”，而申报表的年度资金申请总额是 160 万元（1,600,000.00 元）"
    assert [(t.split("\n")[:2], a) for t, a in comments_of(tmp_path / "out" / "申报表-审核.docx")] == [
        ([amount, "对应经费说明.docx：第 10 段“1.资金测算：本年度预算资金180万元。”。"], "1,600,000.00")]
    assert [(t.split("\n")[:2], a) for t, a in comments_of(tmp_path / "out" / "经费说明-审核.docx")] == [
        (["【警告 PD503】项目经费情况说明“四、实施方案”一节是空的", "（未能定位到具体的单元格或段落，批注在最近的所属位置。）"],
         "社区服务项目项目经费情况说明"),
        (["【警告 PD505】立项依据没有写出文件：应写明文件名（《…》）或文号（如〔2025〕127号）",
          "合格示例：文件依据“《中国共产党党和国家机关基层组织工作条例》”。"], "1.文件依据：根据街道工作安排。"),
        ([amount, "另见申报表.docx：第 1 个表格第 8 行“1,600,000.00”。"], "1.资金测算：本年度预算资金180万元。"),
    ]
    assert "  未审核：第 2 段“本项目为辖区居民提供社区服务。”：“一、项目概述”一节的文字未能读入（不是版式的固定句子），没有检查\n" in done.stdout
