"""Strict YAML for staff-edited files.

PyYAML follows YAML 1.1, where ``10:30`` is the number 630, ``no`` is False, ``0755``
is 493 and a duplicated key silently wins. This loader keeps PyYAML's safe parser but
resolves plain scalars by the YAML 1.2 core schema (what VS Code's YAML extension
assumes), keeps dates and times as strings for the model to check, rejects duplicate
keys naming both lines, and records where every key and value stands so validation
errors can point at ``path:line:col``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model.errors import Problem, clip
from generator.reading.limits import MAX_TEXT_BYTES, read_text, rel, size_problem

Loc = tuple[Any, ...]


class _NoDuplicateKeys(yaml.constructor.SafeConstructor):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, MappingNode):  # PyYAML's own error for another node
            return super().construct_mapping(node, deep=deep)
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ConstructorError(None, None, "項目名には文字列を使ってください", key_node.start_mark)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise DuplicateKey(key, first, key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


class StrictLoader(yaml.SafeLoader, _NoDuplicateKeys):
    """SafeLoader with YAML 1.2 core-schema scalars and no duplicate keys."""

    yaml_implicit_resolvers: dict = {}


_FastStrictLoader: type[_NoDuplicateKeys]
if yaml.__with_libyaml__:
    from yaml._yaml import CParser  # libyaml's parser, as yaml.cyaml's loaders use it

    class _LibyamlStrictLoader(CParser, _NoDuplicateKeys, yaml.resolver.Resolver):
        """The same rules with libyaml's parser (ten times faster; marks count characters alike)."""

        yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _NoDuplicateKeys.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FastStrictLoader = _LibyamlStrictLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _FastStrictLoader = StrictLoader


class DuplicateKey(ConstructorError):
    def __init__(self, key: Any, first_line: int, mark: yaml.Mark):
        self.key, self.first_line = key, first_line
        super().__init__(None, None, f"duplicate key {key!r}", mark)


def _resolver(tag: str, pattern: str, first: str) -> None:
    StrictLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


# YAML 1.2 core schema, except that integers with a leading zero stay strings
# (room numbers, postal codes) and there are no timestamps (the model parses dates).
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN")
_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?)$",
    "-+0123456789",
)
# A document that is empty but for comments resolves to null like any empty scalar.
StrictLoader.yaml_implicit_resolvers.setdefault("", []).append(("tag:yaml.org,2002:null", re.compile(r"^$")))


@dataclass
class Document:
    """A parsed YAML file and where each of its keys and values stands (1-based)."""

    path: str
    data: Any
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its nearest parent that is known."""
        table = self.keys if key else self.values
        loc = tuple(loc)
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message, severity)  # type: ignore[arg-type]


def _map_positions(node: Node, loc: Loc, doc: Document) -> None:
    doc.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            child = loc + (key_node.value if isinstance(key_node, ScalarNode) else str(key_node),)
            doc.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _map_positions(value_node, child, doc)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _map_positions(item, loc + (index,), doc)


# No two neighbouring parts may match the same characters: ``[ ]*-?[ ]*`` took time squared in the
# length of an indented line (minutes for a line of 100,000 spaces).
_KEY_FULLWIDTH_COLON = re.compile(r"^[ \u3000]*(?:-[ \u3000]*)?[A-Za-z_][A-Za-z0-9_-]*[ \u3000]*：")
_KEY_FULLWIDTH_SPACE = re.compile(r"^[ \u3000]*(?:-[ \u3000]*)?[A-Za-z_][A-Za-z0-9_-]*:\u3000")


def lint_text(path: str, text: str) -> list[Problem]:
    """Mistakes that YAML accepts silently or reports on the wrong line."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \u3000\t"))
        if "\u3000" in line[:indent]:
            col = line.index("\u3000") + 1
            problems.append(Problem(path, number, col, "行頭に全角スペースがあります。字下げには半角スペースを使ってください"))
        elif "\t" in line[:indent]:
            problems.append(
                Problem(path, number, line.index("\t") + 1, "行頭にタブがあります。字下げには半角スペースを使ってください")
            )
        if _KEY_FULLWIDTH_COLON.match(line):
            problems.append(
                Problem(
                    path, number, line.index("：") + 1, "全角のコロン「：」があります。項目名の後は半角の「: 」にしてください"
                )
            )
        elif _KEY_FULLWIDTH_SPACE.match(line):
            problems.append(
                Problem(path, number, line.index(":") + 2, "コロンの後が全角スペースです。半角スペースにしてください")
            )
    return problems


def _scalars(node: Node, keys: bool = False):
    """Every scalar under ``node`` (mapping keys too when ``keys``), in document order."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if keys:
                yield from _scalars(key, keys)
            yield from _scalars(value, keys)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item, keys)
    elif isinstance(node, ScalarNode):
        yield node


_CUT_COMMENT = re.compile(r"[ \t]+#(\S)")


def _lint_cut_comments(path: str, node: Node, lines: list[str], out: list[Problem]) -> None:
    """A plain value followed by `` #word`` lost everything from the ``#`` on."""
    for scalar in _scalars(node):
        if scalar.style or not scalar.value:  # quoted or block; plain is None (PyYAML) or "" (libyaml)
            continue
        end = scalar.end_mark
        line = lines[end.line] if end.line < len(lines) else ""
        match = _CUT_COMMENT.match(line, end.column)  # not a slice: a long line with many values stays linear
        if match:
            rest = line[end.column :]
            out.append(
                Problem(
                    path,
                    end.line + 1,
                    end.column + len(match.group(0)) - 1,
                    f"値 '{clip(scalar.value)}' の後の「{clip(rest.strip())}」はコメントとして読み捨てられます。"
                    f'「#」を含めるなら値全体を引用符で囲んでください（例: "{clip(scalar.value + rest.rstrip(), 80)}"）',
                )
            )


# What the file may not hold raw, a double-quoted escape ("\x01", "\r", "\ud800") could still put in a
# value: tabs and line breaks are the only control characters a value may carry (a lone CR breaks
# .ics lines; XML and mail cannot carry the others; a lone surrogate cannot be written as UTF-8).
_BAD_IN_VALUE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _lint_escaped_characters(path: str, node: Node, out: list[Problem]) -> None:
    """Control characters that came in through escapes, reported at the value holding them."""
    for scalar in _scalars(node, keys=True):
        if bad := _BAD_IN_VALUE.search(scalar.value):
            out.append(
                Problem(
                    path,
                    scalar.start_mark.line + 1,
                    scalar.start_mark.column + 1,
                    f"使えない制御文字（U+{ord(bad.group()):04X}）が含まれています。削除してください",
                )
            )


# PyYAML's words for the common syntax errors, in plain Japanese.
_SYNTAX = (
    ("mapping values are not allowed", "ここで「: 」（コロンと半角スペース）は使えません"),
    ("expected <block end>", "値の後ろに余計な文字があるか、字下げがずれています"),
    ("did not find expected key", "値の後ろに余計な文字があるか、字下げがずれています"),
    ("could not find expected ':'", "「項目: 値」の「:」が見つかりません"),
    ("found undefined alias", "「*」で始まる値は YAML の記号として読まれます"),
    ("cannot start any token", "「@」や「`」で始まる値は YAML の記号として読まれます"),
    ("expected URI", "「!」で始まる値は YAML の記号として読まれます"),
    ("expected chomping or indentation indicators", "「|」「>」で始まる値は複数行の書き方として読まれます"),
    ("expected a comment or a line break", "「|」「>」で始まる値は複数行の書き方として読まれます"),
    ("found unexpected end of stream", "引用符が閉じていません"),
    ("found unexpected end", "引用符が閉じていません"),
    ("while scanning a quoted scalar", "引用符が閉じていません"),
)
# A plain value that starts with one of these, or holds ": ", is YAML syntax, not text.
_SPECIAL_START = "[]{}*&!|>@`%'\""
_KEY_VALUE = re.compile(r"^(?P<indent>[ \t]*(?:- )?)(?P<key>[^\s:#\[\]{}\"'][^:#]*?):[ \t]+(?P<value>\S(?:.*\S)?)[ \t]*$")


def _needs_quotes(value: str) -> bool:
    if value[0] in "\"'":  # quoted, then text after the closing quote (an unclosed quote is another mistake)
        if value.count(value[0]) < 2:
            return False
        return not re.fullmatch(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'', value)
    if value[0] in "&*":
        return True
    if value[0] in "[{":  # a list or mapping written inline is fine; text after its closing bracket is not
        close = value.find("]" if value[0] == "[" else "}")
        return 0 < close < len(value) - 1
    return value[0] in _SPECIAL_START or ": " in value or value.endswith(":")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_advice(lines: list[str], mark) -> tuple[int, int, str] | None:
    """``title: 講演会: 地域と学び`` and the like: the value needs quotes. Returns (line, column, advice)."""
    if mark is None:
        return None
    for index in (mark.line, mark.line - 1):
        if 0 <= index < len(lines) and (match := _KEY_VALUE.match(lines[index])):
            value = match["value"]
            if _needs_quotes(value):
                text = value[1:-1] if value[0] == value[-1] and value[0] in "\"'" and len(value) > 1 else value
                fixed = clip(f"{match['key']}: {_quoted(text)}", 80)
                return (
                    index + 1,
                    match.start("value") + 1,
                    (
                        f"'{clip(match['key'])}' の値は引用符で囲んでください。「:」を含む値や「[」「{{」「*」「&」「!」「|」「>」「@」「`」"
                        f"などで始まる値は、YAML の記号として読まれます。例: {fixed}"
                    ),
                )
    return None


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    if isinstance(error, DuplicateKey):
        return (
            f"項目 '{clip(str(error.key))}' が重複しています（{error.first_line}行目にもあります）。"
            "どちらか一方にまとめてください"
        )
    problem = error.problem or str(error)
    if "\t" in problem or "'\\t'" in problem:
        return "タブ文字は使えません。半角スペースで字下げしてください"
    if problem == "項目名には文字列を使ってください":
        return problem
    said = next((japanese for english, japanese in _SYNTAX if english in problem or english in (error.context or "")), "")
    return (
        f"YAML として読めません（{said or clip(problem, 120)}）。字下げの深さ、「:」の後の半角スペース、"
        "引用符の閉じ忘れを確認してください"
    )


MAX_DEPTH = 20  # lists and mappings inside each other; the deepest real file (plan.yaml) has 6
MAX_ENTRIES = 1000  # items of one list, keys of one mapping: 120,000 wrong list items took 9 s and 330 MB


class _Refused(Exception):
    """What a parse found before construction that staff files may not have: an anchor or alias
    (``kind`` "anchor"), or nesting deeper than MAX_DEPTH ("depth"), at ``mark``."""

    def __init__(self, kind: str, mark):
        super().__init__(kind)
        self.kind, self.mark = kind, mark


def _check_nodes(root: Node) -> None:
    """Raise _Refused for a node reached twice (an alias: PyYAML shares the anchored node) or nested
    deeper than MAX_DEPTH. A second guard behind ``_prescan``, for the (error-message) parser that
    did not do the prescan; iterative, each node once."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _Refused("anchor", node.start_mark)
        seen.add(id(node))
        if isinstance(node, (MappingNode, SequenceNode)):
            if depth > MAX_DEPTH:
                raise _Refused("depth", node.start_mark)
            children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
            stack.extend((child, depth + 1) for child in children)


def _parse(loader_class, text: str) -> tuple[Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def _prescan(text: str, loader_class) -> None:
    """Raise _Refused at the first ``&anchor`` or ``*alias``, or at the first list or mapping nested
    deeper than MAX_DEPTH, reading only the parser's events: nothing is built, so a tiny alias bomb or
    100,000 nested brackets cost no more than reading them (milliseconds). Staff files never need
    anchors: a value that starts with ``&`` silently loses that word, and nested aliases multiply a
    600-byte file into millions of nodes. A syntax error is raised as the parser raises it."""
    loader = loader_class(text)
    sizes: list[int] = []  # the entries so far of each open list (items) and mapping (keys and values)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused("anchor", event.start_mark)
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)) and sizes:
                sizes[-1] += 1
                if sizes[-1] > 2 * MAX_ENTRIES:  # a mapping counts its keys and values alike
                    raise _Refused("entries", event.start_mark)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                sizes.append(0 if isinstance(event, yaml.MappingStartEvent) else MAX_ENTRIES)
                if len(sizes) > MAX_DEPTH:
                    raise _Refused("depth", event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                sizes.pop()
    finally:
        loader.dispose()


def _refused_problem(path: str, text: str, refused: _Refused) -> Problem:
    mark = refused.mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if refused.kind == "depth":
        return Problem(
            path,
            line,
            col,
            f"入れ子（字下げや [ ] {{ }} の重なり）が深すぎます（{MAX_DEPTH}段まで）。"
            "字下げがずれていないか、括弧の閉じ忘れがないかを確かめてください",
        )
    if refused.kind == "entries":
        return Problem(
            path,
            line,
            col,
            f"1つのリスト（または項目の並び）に {MAX_ENTRIES:,}件より多くは書けません（ここで {MAX_ENTRIES + 1:,}件目）。"
            "ファイルを分けてください",
        )
    advice = _quote_advice(text.splitlines(), mark)
    example = advice[2].split("例: ", 1)[1] if advice else ""
    return Problem(
        path,
        line,
        col,
        "「&」「*」で始まる値は YAML のアンカー・別名として読まれるため、このサイトでは使えません"
        f"（値の一部が消えたり、内容が何倍にも複製されたりします）。値全体を引用符で囲んでください。{'例: ' + example if example else ''}",
    )


def control_character(path: str, text: str) -> Problem | None:
    """The first character no staff file may hold (YAML or Markdown), at its line: control characters
    but tab and line breaks, U+0085, U+2028 and U+2029 (line breaks to YAML, not to Markdown), lone
    surrogates (a NUL in a post went into its page as it was)."""
    bad = re.search(StrictLoader.NON_PRINTABLE.pattern, text) or re.search("[\x85\u2028\u2029]", text)
    if not bad:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    return Problem(path, line, col, f"使えない制御文字（U+{ord(bad.group()):04X}）が含まれています。削除してください")


PURE_PARSE_LIMIT = 64 * 1024  # PyYAML's own parser takes about a second for this much; libyaml, milliseconds


def _compose(text: str) -> tuple[Node | None, Any]:
    """Prescan, then parse, with libyaml (fast). On a syntax error, PyYAML's own parser again, whose
    error wording and marks the messages expect: on the text up to the line after libyaml's error
    (a stream parser sees nothing after an error, so the error is the same), prescanned first (its
    composer recurses), and only when that is at most PURE_PARSE_LIMIT (a real file is under 10 KiB);
    otherwise libyaml's error stands. Errors of the constructor (duplicate keys) have the same marks
    with either parser and are not parsed again. Where the parsers disagree, PyYAML's reading stands."""
    try:
        _prescan(text, _FastStrictLoader)
        return _parse(_FastStrictLoader, text)
    except ConstructorError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        prefix = text if mark is None else "".join(text.splitlines(keepends=True)[: mark.line + 2])
        if len(prefix) > PURE_PARSE_LIMIT or _FastStrictLoader is StrictLoader:
            if "maximum nesting depth" in str(error):  # libyaml's own limit: 1,000 levels of [ or {
                raise _Refused("depth", mark) from None
            raise
        _prescan(prefix, StrictLoader)
        _parse(StrictLoader, prefix)  # raises its own error, as a rule
        if len(text) > PURE_PARSE_LIMIT:
            raise
        _prescan(text, StrictLoader)  # the two parsers disagree (libyaml refuses the escape "\ud800"):
        return _parse(StrictLoader, text)  # PyYAML's reading, and the lints say what is wrong


def load_yaml_text(path: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file; returns the document (None when unreadable) and every problem found.

    Bounded for any text: at most MAX_TEXT_BYTES (UTF-8), control characters refused before
    parsing, anchors, aliases and deep nesting refused by ``_prescan`` before anything is built."""
    size = len(text.encode("utf-8", "surrogatepass")) if len(text) * 4 > MAX_TEXT_BYTES else len(text)
    if size > MAX_TEXT_BYTES:
        return None, [size_problem(path, size, MAX_TEXT_BYTES)]
    problems = lint_text(path, text)
    if bad := control_character(path, text):
        return None, problems + [bad]
    try:
        node, data = _compose(text)
    except _Refused as refused:
        return None, problems + [_refused_problem(path, text, refused)]
    except RecursionError:  # not expected after the prescan; never an internal error
        return None, problems + [_refused_problem(path, text, _Refused("depth", None))]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if not problems:  # a lint error usually explains the parse error that follows it
            advice = None if isinstance(error, DuplicateKey) else _quote_advice(text.splitlines(), mark)
            if advice:
                problems.append(Problem(path, *advice))
            else:
                problems.append(Problem(path, line, col, _yaml_message(error)))
        return None, problems
    doc = Document(path, data)
    if node is not None:
        _map_positions(node, (), doc)
        _lint_cut_comments(path, node, text.splitlines(), problems)
        _lint_escaped_characters(path, node, problems)
    return doc, problems


def load_yaml_file(file: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """A file inside ``root``, read by the rules of ``limits.read_text`` (no symlink, a regular file,
    at most MAX_TEXT_BYTES); its problems name it relative to ``root``."""
    file = Path(os.path.abspath(file))
    text, problems = read_text(root, file)
    if text is None:
        return None, problems
    return load_yaml_text(rel(root, file), text)
