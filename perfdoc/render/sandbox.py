"""Rendering a template's Jinja2 texts as untrusted code: a sandbox with bounds.

A template folder may come from anyone, so its texts are rendered in Jinja2's
``ImmutableSandboxedEnvironment`` (no ``__globals__``, no ``os``, no mutating
data), read only from the template's texts/ folder (no ``..``, no symbolic link
leading out, no FIFO, no huge file), and bounded in what they may compute:

* a single operation may not make a text longer than :data:`MAX_VALUE`
  (``"x" * 10**10``, ``"%999999999s"``, ``|center(10**9)``, ``.ljust(…)``) or
  raise a number to a huge power;
* a whole render stops after :data:`MAX_SECONDS` or :data:`MAX_STEPS` steps, or
  when a variable holds a text past :data:`MAX_VALUE` (nested loops, a macro
  that doubles a text on every call).

Every fault is a :class:`TextProblem`: the file and line in the template and a
Chinese message; the caller turns it into a problem (``文字模板有误``).
"""

from __future__ import annotations

import functools
import re
import sys
import time
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..read import PackageError, read_limited

__all__ = ["TextProblem", "TextEnvironment", "MAX_VALUE", "MAX_SECONDS", "MAX_STEPS", "MAX_TEXT_BYTES"]

#: Longest text one operation may make, and the longest a variable may hold (characters).
MAX_VALUE = 1_000_000
#: A text is a sentence or two; a texts/*.j2 file past this is not one.
MAX_TEXT_BYTES = 256 * 1024
#: Time and steps (Python lines and calls) one render may take.
MAX_SECONDS = 3.0
MAX_STEPS = 500_000
_BIG_NUMBER = 100_000  # a width, a count or an exponent past this makes something huge
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\*|\d{6,})|\.(\*|\d{6,})|\{[^{}]*:[^{}]*\d{6,}[^{}]*\}")


class TextProblem(Exception):
    """A fault of a template text: where it is (file, line) and what (Chinese)."""

    def __init__(self, file: Path, line: int, message: str):
        super().__init__(file, line, message)
        self.file = Path(file)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Refused(SecurityError):
    """A bound of this module was reached (message in Chinese)."""


def _size(value) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else 0


def _check_numbers(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _BIG_NUMBER:
            raise _Refused(f"数字参数 {value if abs(value) < 10**30 else '（过大）'} 过大，超过 {_BIG_NUMBER}")
        if isinstance(value, str) and _FORMAT_WIDTH.search(value):
            raise _Refused("格式说明中的宽度或精度过大")


def _estimate(name: str, args, kwargs) -> int:
    """An upper bound of the length a text operation would make, for the few that multiply."""
    if name == "replace" and len(args) >= 3 and isinstance(args[0], str) and isinstance(args[2], str):
        value, old, new = str(args[0]), str(args[1]), str(args[2])
        count = value.count(old) if old else len(value) + 1
        return len(value) + count * max(0, len(new) - len(old))
    if name == "join" and args:
        sep = args[1] if len(args) > 1 and isinstance(args[1], str) else kwargs.get("d", "")
        items = args[0] if isinstance(args[0], (str, list, tuple)) else ()
        return sum(_size(x) if isinstance(x, str) else 20 for x in items) + len(sep or "") * len(items)
    return 0


def _checked(name: str, func):
    """A filter whose arguments and result are bounded."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        plain = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.Environment))]
        _check_numbers(plain[1:], kwargs)
        if _estimate(name, plain, kwargs) > MAX_VALUE:
            raise _Refused(f"过滤器 {name} 生成的文字过长（超过 {MAX_VALUE} 个字符）")
        result = func(*args, **kwargs)
        if _size(result) > MAX_VALUE:
            raise _Refused(f"过滤器 {name} 生成的文字过长（超过 {MAX_VALUE} 个字符）")
        return result

    return run


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "%", "//"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64 and isinstance(left, (int, float)) and abs(left) > 1:
                raise _Refused("乘方的指数过大")
        elif operator == "*":
            count = right if _size(left) else left if _size(right) else None
            if isinstance(count, int) and max(_size(left), _size(right)) * count > MAX_VALUE:
                raise _Refused(f"重复得到的文字过长（超过 {MAX_VALUE} 个字符）")
        elif operator == "%" and isinstance(left, str):
            _check_numbers([left], {})
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _check_numbers(args, kwargs)
        name = getattr(__obj, "__name__", "")
        # the object a method belongs to (Jinja wraps str.format, keeping the method as __wrapped__)
        owner = getattr(__obj, "__self__", None)
        if owner is None:
            owner = getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if _estimate(name, (owner, *args), kwargs) > MAX_VALUE:
            raise _Refused(f"{name} 生成的文字过长（超过 {MAX_VALUE} 个字符）")
        if name in ("format", "format_map") and isinstance(owner, str):
            _check_numbers([owner], {})
        result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_VALUE:
            raise _Refused(f"生成的文字过长（超过 {MAX_VALUE} 个字符）")
        return result


class _Loader(jinja2.BaseLoader):
    """Texts from one folder only: regular files, not too large, UTF-8, never a link leading out."""

    def __init__(self, folder: Path, root: Path):
        self.folder = Path(folder)
        self.root = Path(root)

    def get_source(self, environment, template):
        path = self.folder.joinpath(*split_template_path(template))  # refuses ".." itself
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise jinja2.TemplateNotFound(template) from None
        if not resolved.is_relative_to(self.root.resolve()):
            raise TextProblem(path, 1, "文字模板有误：它是指向版式文件夹以外的符号链接，不能使用")
        try:
            data = read_limited(path, MAX_TEXT_BYTES, label=str(path))
        except PackageError as exc:
            raise TextProblem(path, 1, f"文字模板有误：{exc.reason}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise TextProblem(path, line, f"文字模板有误：第 {line} 行不是 UTF-8 编码（请另存为 UTF-8）") from None
        if "\x00" in text:
            raise TextProblem(path, text[:text.index("\x00")].count("\n") + 1, "文字模板有误：这不是文本文件（含有二进制数据）")
        return text, str(path), lambda: True


class _Budget:
    """A trace function that stops a render that runs too long or makes a variable too large."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def __call__(self, frame, event, arg):
        if event != "call":
            return None
        self._step(frame, False)
        return self._local if frame.f_code.co_filename.startswith(self.prefix) else None

    def _local(self, frame, event, arg):
        if event == "line":
            self._step(frame, True)
        return self._local

    def _step(self, frame, template: bool) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS or (self.steps % 1024 == 0 and time.monotonic() > self.deadline):
            raise _Refused("运行时间过长（循环或递归太多）")
        if template:
            for value in frame.f_locals.values():
                held = object.__getattribute__(value, "_Namespace__attrs").values() \
                    if isinstance(value, jinja2.utils.Namespace) else (value,)
                if any(_size(v) > MAX_VALUE for v in held):
                    raise _Refused(f"变量中的文字过长（超过 {MAX_VALUE} 个字符）")


_MESSAGES = [
    (r"access to attribute '(.+?)' of '(.+?)' object is unsafe", "不允许访问“{0}”（内部属性）"),
    (r"is not safely callable", "不允许调用这个函数"),
    (r"access to attribute '(.+?)'", "不允许访问“{0}”"),
    (r"range too big|more than \d+ items", "range 的项数过多"),
    (r"^'(.+?)' is undefined", "变量“{0}”不存在"),
    (r"has no attribute '(.+?)'", "“{0}”不存在"),
    (r"innermost block that needs to be closed is '(\w+)'", "模板意外结束：缺少结束标记 {{% end{0} %}}"),
    (r"^unexpected end of template", "模板意外结束：缺少结束标记（如 }}}} 或 %}}）"),
    (r"^Encountered unknown tag '(.+?)'", "未知的标记“{0}”"),
    (r"^expected token '(.+?)', got '(.+?)'", "此处应为“{0}”，而不是“{1}”"),
    (r"^unexpected char (.+?) at", "无法识别的字符 {0}"),
    (r"^unexpected '(.+?)'", "此处不应出现“{0}”"),
    (r"^tag name expected", "{{% 后缺少标记名"),
]
_PATTERNS = [(re.compile(pattern, re.I | re.S), chinese) for pattern, chinese in _MESSAGES]


def _chinese(exc: BaseException) -> str:
    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "递归或嵌套过深"
    if isinstance(exc, MemoryError):
        return "占用内存过多"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"找不到引用的文字模板“{_short(str(exc.name))}”（只能引用 texts 文件夹中的文件）"
    text = (getattr(exc, "message", None) or str(exc)).strip()
    for pattern, chinese in _PATTERNS:
        m = pattern.search(text)
        if m:
            return chinese.format(*(_short(g) for g in m.groups()))
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return "语法错误"
    if isinstance(exc, SecurityError):
        return "不允许的操作"
    for kind, chinese in _ERRORS:
        if isinstance(exc, kind):
            return chinese
    return "运算出错"


_ERRORS = [
    (ZeroDivisionError, "运算出错：除数为零"),
    (OverflowError, "运算出错：数字过大"),
    (TypeError, "运算出错：类型不对（如文字与数字相加）"),
    (ValueError, "运算出错：值无效"),
    (LookupError, "运算出错：没有这一项"),
]


def _short(text: str) -> str:
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= 40 else text[:40] + "…"


class TextEnvironment:
    """The sandbox for one template's texts/ folder."""

    def __init__(self, folder: Path, root: Path | None = None, *, budget: bool = True):
        """``folder``: the texts; ``root``: the folder no text may lead out of (default: ``folder``).
        ``budget``: stop a text that runs too long or grows a variable too large (a trace function,
        a fifth of the time of rendering a project); False only for perfdoc's own templates."""
        self.folder = Path(folder)
        self.budget = budget
        self._env = _Sandbox(loader=_Loader(self.folder, root or self.folder), autoescape=False, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self._env.filters = {name: _checked(name, f) for name, f in self._env.filters.items()}

    def sources(self) -> list[bytes]:
        """The bytes of every text that has been compiled (for the template's fingerprint)."""
        out = []
        for name in self.names():
            try:
                out.append(name.encode() + b"\0" + read_limited(self.folder / f"{name}.j2", MAX_TEXT_BYTES))
            except PackageError:
                out.append(name.encode())
        return out

    def names(self) -> list[str]:
        """The texts in the folder (``overview`` for overview.j2)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.iterdir() if p.suffix == ".j2")

    def compile(self, name: str) -> None:
        """Parse texts/<name>.j2 and look for what the sandbox would refuse anyway (an internal
        attribute such as ``__init__``), so that a bad text is reported before anything is built.
        Raises TextProblem at the line."""
        self._template(name)
        path = self.folder / f"{name}.j2"
        source, filename, _ = self._env.loader.get_source(self._env, f"{name}.j2")
        for node in self._env.parse(source, f"{name}.j2", filename).find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
            if isinstance(node, nodes.Getattr):
                attribute = node.attr
            elif isinstance(node, nodes.Getitem):
                attribute = node.arg.value if isinstance(node.arg, nodes.Const) else None
            else:
                attribute = node.args[0].value if node.name == "attr" and node.args and isinstance(
                    node.args[0], nodes.Const) else None
            if isinstance(attribute, str) and attribute.startswith("_"):
                raise TextProblem(path, node.lineno, f"文字模板有误：不允许访问“{_short(attribute)}”（内部属性）")

    def _template(self, name: str) -> jinja2.Template:
        path = self.folder / f"{name}.j2"
        try:
            return self._env.get_template(f"{name}.j2")
        except TextProblem:
            raise
        except jinja2.TemplateNotFound:
            raise TextProblem(path, 1, "文字模板有误：找不到这个文件") from None
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else path
            raise TextProblem(where, exc.lineno or 1, f"文字模板有误：{_chinese(exc)}") from None
        except (RecursionError, MemoryError) as exc:
            raise TextProblem(path, 1, f"文字模板有误：{_chinese(exc)}") from None

    def render(self, name: str, data: dict) -> str:
        """texts/<name>.j2 with ``data`` (values, never template source), within the bounds."""
        template = self._template(name)
        previous = sys.gettrace()
        if self.budget:
            sys.settrace(_Budget(str(self.folder)))
        try:
            pieces = []
            size = 0
            for piece in template.generate(**data):
                size += len(piece)
                if size > MAX_VALUE:
                    raise _Refused(f"生成的文字过长（超过 {MAX_VALUE} 个字符）")
                pieces.append(piece)
            return "".join(pieces)
        except TextProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - any fault of the template's code is the template's
            file, line = _where(exc, self.folder / f"{name}.j2")
            raise TextProblem(file, line, f"文字模板有误：{_chinese(exc)}") from None
        finally:
            if self.budget:
                sys.settrace(previous)


def _where(exc: BaseException, default: Path) -> tuple[Path, int]:
    """The template file and line where ``exc`` happened (Jinja rewrites tracebacks to them)."""
    found = (default, 1)
    tb = exc.__traceback__
    folder = str(default.parent)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(folder) and name.endswith(".j2"):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found
