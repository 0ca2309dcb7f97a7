"""perfdoc.read.grid: tables as rows of cells on their grid, accepted text, from hand-written XML
in the shapes Word, WPS, LibreOffice and python-docx write."""

from __future__ import annotations

from lxml import etree

from perfdoc.read.grid import Paragraph, Table, blocks, paragraph_text, tables

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


SPAN2 = '<w:gridSpan w:val="2"/>'
SPAN3 = '<w:gridSpan w:val="3"/>'
RESTART = '<w:vMerge w:val="restart"/>'
CONTINUE = "<w:vMerge/>"
CONTINUE_EXPLICIT = '<w:vMerge w:val="continue"/>'
HSTART = '<w:hMerge w:val="restart"/>'
HCONT = "<w:hMerge/>"
HCONT_EXPLICIT = '<w:hMerge w:val="continue"/>'


def body(xml: str) -> etree._Element:
    return etree.fromstring(f"<w:body {NS}>{xml}</w:body>")


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def shape(tbl: Table) -> list[list[tuple[str, int, int, bool]]]:
    return [[(c.text, c.col, c.span, c.continued) for c in row] for row in tbl.rows]


def para_text(xml: str) -> str:
    return paragraph_text(etree.fromstring(f"<w:p {NS}>{xml}</w:p>"))


# -- grid ---------------------------------------------------------------------------------------

def test_grid_span_and_grid_before_after():
    b = body("<w:tbl>"
             f"<w:tr>{tc('项目名称')}{tc('某项目', SPAN3)}</w:tr>"
             f'<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'
             f"{tc('甲')}{tc('乙')}</w:tr>"
             "</w:tbl>")
    assert shape(tables(b)[0]) == [
        [("项目名称", 0, 1, False), ("某项目", 1, 3, False)],
        [("甲", 1, 1, False), ("乙", 2, 1, False)],
    ]


def test_old_hmerge_joins_cells():
    b = body("<w:tbl><w:tr>"
             f"{tc('A')}{tc('合并', HSTART)}{tc('', HCONT)}"
             f"{tc('', HCONT_EXPLICIT)}{tc('D')}"
             "</w:tr></w:tbl>")
    assert shape(tables(b)[0]) == [[("A", 0, 1, False), ("合并", 1, 3, False), ("D", 4, 1, False)]]


def test_vmerge_restart_and_continue_take_the_text_above():
    b = body("<w:tbl>"
             f"<w:tr>{tc('产出指标', RESTART)}{tc('数量指标', RESTART)}{tc('人数')}</w:tr>"
             f"<w:tr>{tc('', CONTINUE)}{tc('', CONTINUE_EXPLICIT)}{tc('次数')}</w:tr>"
             f"<w:tr>{tc('', CONTINUE)}{tc('质量指标', RESTART)}{tc('合格率')}</w:tr>"
             "</w:tbl>")
    assert shape(tables(b)[0]) == [
        [("产出指标", 0, 1, False), ("数量指标", 1, 1, False), ("人数", 2, 1, False)],
        [("产出指标", 0, 1, True), ("数量指标", 1, 1, True), ("次数", 2, 1, False)],
        [("产出指标", 0, 1, True), ("质量指标", 1, 1, False), ("合格率", 2, 1, False)],
    ]


def test_vmerge_under_a_spanning_cell_and_without_a_cell_above():
    b = body("<w:tbl>"
             f"<w:tr>{tc('项目资金（元）', SPAN2 + RESTART)}{tc('总额')}</w:tr>"
             f"<w:tr>{tc('', SPAN2 + CONTINUE)}{tc('财政')}</w:tr>"
             f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("孤儿", CONTINUE)}{tc("右")}</w:tr>'
             "</w:tbl>")
    assert shape(tables(b)[0]) == [
        [("项目资金（元）", 0, 2, False), ("总额", 2, 1, False)],
        [("项目资金（元）", 0, 2, True), ("财政", 2, 1, False)],
        [("孤儿", 1, 1, False), ("右", 2, 1, False)],
    ]
    # a continuation with no cell above it is read as a cell of its own
    b = body(f"<w:tbl><w:tr>{tc('首行', CONTINUE)}</w:tr></w:tbl>")
    assert shape(tables(b)[0]) == [[("首行", 0, 1, False)]]


def test_nested_table_text_in_the_cell_not_in_the_list():
    nested = f"<w:tbl><w:tr>{tc('内一')}{tc('内二')}</w:tr><w:tr>{tc('内三')}{tc('内四')}</w:tr></w:tbl>"
    b = body(f"<w:tbl><w:tr><w:tc>{p('外')}{nested}{p('尾')}</w:tc>{tc('右')}</w:tr></w:tbl>"
             f"{p('之间')}<w:tbl><w:tr>{tc('第二')}</w:tr></w:tbl>")
    found = tables(b)
    assert [t.index for t in found] == [0, 1]
    cell = found[0].rows[0][0]
    assert cell.paragraphs == ["外", "内一", "内二", "内三", "内四", "尾"]
    assert cell.text == "外\n内一\n内二\n内三\n内四\n尾"
    assert found[1].rows[0][0].text == "第二"


def test_cells_and_rows_in_content_controls():
    sdt_cell = ("<w:sdt><w:sdtPr><w:alias w:val=\"名称\"/></w:sdtPr><w:sdtContent>"
                f"{tc('控件单元格')}</w:sdtContent></w:sdt>")
    sdt_row = ("<w:sdt><w:sdtPr/><w:sdtContent>"
               f"<w:tr>{tc('行甲')}{tc('行乙')}</w:tr></w:sdtContent></w:sdt>")
    b = body(f"<w:tbl><w:tr>{tc('左')}{sdt_cell}</w:tr>{sdt_row}"
             f"<w:customXml w:element=\"x\"><w:tr>{tc('自定义')}</w:tr></w:customXml></w:tbl>")
    assert shape(tables(b)[0]) == [
        [("左", 0, 1, False), ("控件单元格", 1, 1, False)],
        [("行甲", 0, 1, False), ("行乙", 1, 1, False)],
        [("自定义", 0, 1, False)],
    ]


def test_block_level_content_control_around_a_table_and_paragraph():
    b = body(f"{p('标题')}<w:sdt><w:sdtPr/><w:sdtContent>{p('控件段落')}"
             f"<w:tbl><w:tr>{tc('表')}</w:tr></w:tbl></w:sdtContent></w:sdt>{p('结尾')}")
    found = blocks(b)
    assert [type(x).__name__ for x in found] == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert [x.text for x in found if isinstance(x, Paragraph)] == ["标题", "控件段落", "结尾"]


def test_deleted_row_is_dropped_inserted_row_kept():
    b = body("<w:tbl>"
             f"<w:tr>{tc('一')}</w:tr>"
             f"<w:tr><w:trPr><w:del w:id=\"1\" w:author=\"x\"/></w:trPr>{tc('删去的行')}</w:tr>"
             f"<w:tr><w:trPr><w:ins w:id=\"2\" w:author=\"x\"/></w:trPr>{tc('插入的行')}</w:tr>"
             "</w:tbl>")
    assert [[c.text for c in r] for r in tables(b)[0].rows] == [["一"], ["插入的行"]]


# -- text ---------------------------------------------------------------------------------------

def test_runs_split_anywhere_bookmarks_and_proofing_marks():
    xml = ('<w:proofErr w:type="spellStart"/><w:r><w:t>项目</w:t></w:r><w:bookmarkStart w:id="0" w:name="a"/>'
           '<w:r><w:rPr><w:b/></w:rPr><w:t>名</w:t></w:r><w:proofErr w:type="spellEnd"/>'
           '<w:bookmarkEnd w:id="0"/><w:r><w:t xml:space="preserve">称 </w:t></w:r>'
           '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>（元）</w:t></w:r></w:smartTag>')
    assert para_text(xml) == "项目名称 （元）"


def test_tracked_changes_read_as_accepted():
    xml = ('<w:r><w:t>年度</w:t></w:r>'
           '<w:del w:id="1" w:author="x"><w:r><w:delText>旧的</w:delText></w:r></w:del>'
           '<w:ins w:id="2" w:author="x"><w:r><w:t>新的</w:t></w:r></w:ins>'
           '<w:moveFrom w:id="3" w:author="x"><w:r><w:t>移走</w:t></w:r></w:moveFrom>'
           '<w:moveTo w:id="4" w:author="x"><w:r><w:t>目标</w:t></w:r></w:moveTo>')
    assert para_text(xml) == "年度新的目标"


def test_deleted_paragraph_mark_joins_the_next_paragraph():
    b = body('<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="x"/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p>'
             '<w:p><w:r><w:t>后半</w:t></w:r></w:p>'
             '<w:p><w:pPr><w:rPr><w:del w:id="2" w:author="x"/></w:rPr></w:pPr>'
             '<w:del w:id="3" w:author="x"><w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>'
             f"{p('下一段')}")
    assert [x.text for x in blocks(b)] == ["前半后半", "下一段"]


def test_fields_give_their_result_not_their_code():
    xml = ('<w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
           '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r>'
           '<w:fldSimple w:instr=" DOCPROPERTY x "><w:r><w:t>，共5页</w:t></w:r></w:fldSimple>')
    assert para_text(xml) == "第3页，共5页"


def test_tabs_breaks_and_check_box_symbols():
    xml = ('<w:pPr><w:tabs><w:tab w:val="left" w:pos="100"/></w:tabs></w:pPr>'
           '<w:r><w:t>专项资金</w:t><w:sym w:font="Wingdings 2" w:char="F0A3"/><w:tab/>'
           '<w:t>经常性项目</w:t><w:sym w:font="Wingdings" w:char="F0FE"/><w:br/><w:t>下一行</w:t>'
           '<w:br w:type="page"/></w:r>')
    assert para_text(xml) == "专项资金□\t经常性项目☑\n下一行"


def test_check_boxes_typed_as_letters_of_a_symbol_font():
    wingdings = '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>'
    xml = (f'<w:r>{wingdings}<w:t>\u00fe</w:t></w:r><w:r><w:t>经常性项目 </w:t></w:r>'
           f'<w:r>{wingdings}<w:t>\u00a8</w:t></w:r><w:r><w:t>一次性项目 </w:t></w:r>'
           f'<w:r>{wingdings}<w:t>J</w:t></w:r>')
    assert para_text(xml) == "☑经常性项目 □一次性项目 \uf04a"


def test_content_control_inside_a_paragraph():
    xml = ('<w:r><w:t>实施单位：</w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
           '<w:r><w:t>某某中心</w:t></w:r></w:sdtContent></w:sdt>')
    assert para_text(xml) == "实施单位：某某中心"


def test_text_box_read_once_after_its_paragraph():
    box = f"<w:txbxContent>{p('框内文字')}{p('第二行')}</w:txbxContent>"
    anchor = ("<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent>"
              "<mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>"
              f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
              "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
              f"{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>")
    b = body(anchor + p("后文"))
    assert [x.text for x in blocks(b)] == ["正文", "框内文字", "第二行", "后文"]
    # in a cell, the text box's paragraphs are the cell's
    b = body(f"<w:tbl><w:tr><w:tc>{anchor}</w:tc></w:tr></w:tbl>")
    assert tables(b)[0].rows[0][0].paragraphs == ["正文", "框内文字", "第二行"]


def test_vml_text_box_without_alternate_content():
    b = body("<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
             f"{p('旧式文本框')}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>")
    assert [x.text for x in blocks(b)] == ["", "旧式文本框"]


def test_paragraph_style_and_cell_paragraphs_joined_by_newline():
    b = body('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>'
             f"<w:tbl><w:tr><w:tc>{p('第一段')}{p('“第二段”，含全角标点。')}</w:tc></w:tr></w:tbl>")
    first, table = blocks(b)
    assert (first.text, first.style) == ("标题", "Heading1")
    assert table.rows[0][0].text == "第一段\n“第二段”，含全角标点。"
    assert table.rows[0][0].paragraphs == ["第一段", "“第二段”，含全角标点。"]
