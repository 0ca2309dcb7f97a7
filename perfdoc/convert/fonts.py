"""The fontconfig file the PDF converter runs with.

The documents ask for the fonts Word and WPS users have (宋体, 仿宋, 黑体, 楷体).  On a machine
without them LibreOffice substitutes whatever fontconfig offers first: in practice a sans
font for 宋体 body text and the Japanese glyph forms of Noto CJK (骨 直 误 关 look wrong to a
Chinese reader).  This configuration, used for the converter's process only (FONTCONFIG_FILE),
includes the system's and maps each Chinese family to a free font of the same kind with the
Simplified Chinese glyph forms (``lang = zh-cn``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = ["FAMILIES", "SYSTEM_CONF", "fontconfig_xml"]

SYSTEM_CONF = "/etc/fonts/fonts.conf"

SERIF_SC = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN")
SANS_SC = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN")
KAI_SC = ("AR PL UKai CN", "AR PL KaitiM GB", *SERIF_SC)

#: Family names a document may ask for -> the fonts to use, best first.
FAMILIES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312",
         "华文宋体", "STSong", "华文仿宋", "STFangsong", "华文中宋", "STZhongsong", "方正仿宋_GBK",
         "方正小标宋简体", "方正小标宋_GBK", "方正书宋_GBK", "Songti SC"),
        SERIF_SC),
    **dict.fromkeys(
        ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "华文黑体", "STHeiti", "方正黑体_GBK",
         "方正黑体简体", "等线", "DengXian", "PingFang SC"),
        SANS_SC),
    **dict.fromkeys(
        ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "华文楷体", "STKaiti", "方正楷体_GBK", "方正楷体简体"),
        KAI_SC),
}


def _match(family: str, fonts: tuple[str, ...]) -> str:
    prefer = "".join(f"<string>{escape(f)}</string>" for f in fonts)
    return (
        "  <match target=\"pattern\">\n"
        f"    <test name=\"family\" compare=\"eq\"><string>{escape(family)}</string></test>\n"
        f"    <edit name=\"family\" mode=\"prepend\" binding=\"strong\">{prefer}</edit>\n"
        "    <edit name=\"lang\" mode=\"assign\" binding=\"strong\"><string>zh-cn</string></edit>\n"
        "  </match>\n"
    )


def fontconfig_xml(system_conf: str = SYSTEM_CONF, cache_dir: str | None = None) -> str:
    """The configuration: the system's, then one substitution per Chinese family name."""
    cache = f"  <cachedir>{escape(cache_dir)}</cachedir>\n" if cache_dir else ""
    return (
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
        "<!-- perfdoc: fonts for the PDF converter (see perfdoc/convert/fonts.py) -->\n<fontconfig>\n"
        f"  <include ignore_missing=\"yes\">{escape(system_conf)}</include>\n{cache}"
        + "".join(_match(family, fonts) for family, fonts in FAMILIES.items())
        + "</fontconfig>\n"
    )
