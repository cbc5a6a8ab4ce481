"""YAML read into plain values, remembering the line of every key and value.

Validation happens on plain values and names key paths
(``offers[2].training.per_1m``); the ``Lines`` kept here turn such a path back
into the line an editor must change. YAML is read with PyYAML's safe loader
and stricter still: dates stay text (the schema checks them), duplicate keys
are errors, and any tag beyond the plain YAML types (``!!python/...``) is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, ScalarNode

from ..engine.problems import dotted
from ..errors import SourceError

MAX_NODES = 200_000  # an alias bomb expands far past this; real data never does
MAX_DEPTH = 64  # lists and mappings inside each other; real data needs under ten
MAX_DIGITS = 40  # a figure longer than this is a typo (and past 4,300 Python refuses to read it)
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
PLAIN_TAGS = {"tag:yaml.org,2002:" + name for name in ("map", "seq", "str", "int", "float", "bool", "null")}


# libyaml's parser when PyYAML has it (it keeps marks too, and is several
# times faster on front matter); the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """The safe loader minus implicit timestamps, so ``2026-06-01`` stays text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Lines:
    """Key path -> line, for values and for the keys that hold them."""

    file: str
    values: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)

    def line(self, path: tuple, at_key: bool = False) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists
        (a missing key is reported where its mapping starts)."""
        if at_key and path in self.keys:
            return self.keys[path]
        if path in self.values:
            return self.values[path]
        for end in range(len(path) - 1, -1, -1):
            for table in (self.keys, self.values):
                if path[:end] in table:
                    return table[path[:end]]
        return None


class YamlError(Exception):
    def __init__(self, error: SourceError):
        self.error = error
        super().__init__(str(error))


def _key_of(path: tuple) -> tuple:
    """The path up to its last key: where a run of nested lists begins."""
    end = len(path)
    while end and isinstance(path[end - 1], int):
        end -= 1
    return path[:end] or path


def load(text: str, file: str, first_line: int = 1) -> tuple[object, Lines]:
    """YAML text -> (plain value, Lines); raises YamlError naming file and line."""
    lines = Lines(file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        value = None if node is None else _Converter(loader, lines, first_line).value(node, ())
    except yaml.MarkedYAMLError as error:
        mark = _fix_mark(error, text)
        line = mark.line + first_line if mark else None
        raise YamlError(SourceError(file, line, _syntax_message(error, mark, text))) from None
    except yaml.reader.ReaderError as error:  # a character YAML refuses: NUL, a control character
        line = text.count("\n", 0, error.position) + first_line
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise YamlError(SourceError(file, line, f"not valid YAML: character U+{code:04X} is not allowed "
                                                "(a control character, or a file saved as UTF-16)")) from None
    except yaml.YAMLError as error:
        raise YamlError(SourceError(file, None, f"not valid YAML: {error}")) from None
    finally:
        loader.dispose()
    return value, lines


def _is_tab(error: yaml.MarkedYAMLError, text: str) -> bool:
    """The parser names a tab in some places; elsewhere (a tab opening a line)
    it only says a character cannot start a token, so look at that character."""
    problem = error.problem or ""
    mark = error.problem_mark
    at = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    return "'\\t'" in problem or "tab" in problem or at == "\t"


def _fix_mark(error: yaml.MarkedYAMLError, text: str):
    """The one place to report: where the fix goes. An unclosed bracket or
    quote is fixed where it opened (the parser gives up lines later); a line
    indented wrongly inside a block, or a tab, on its own line (where the
    block began says nothing)."""
    if error.context_mark is None or _is_tab(error, text) or (error.context or "").startswith("while parsing a block"):
        return error.problem_mark or error.context_mark
    return error.context_mark


def _syntax_message(error: yaml.MarkedYAMLError, mark, text: str) -> str:
    """The parser's words, with only the column beside the line already given."""
    problem = error.problem or str(error)
    if _is_tab(error, text):
        return "a tab character; YAML is indented with spaces only"
    message = f"not valid YAML: {error.context + ', ' if error.context else ''}{problem}"
    if mark is not None and mark is error.problem_mark:
        message += f" (column {mark.column + 1})"
    return message


class _Converter:
    """Walks composed nodes; plain values out, lines into ``Lines``."""

    def __init__(self, loader: _Loader, lines: Lines, first_line: int):
        self.loader = loader
        self.lines = lines
        self.offset = first_line
        self.count = 0
        self.open: set[int] = set()  # nodes being converted: an alias back to one is a cycle

    def fail(self, node, message: str, path: tuple = ()):
        where = dotted(path)
        raise YamlError(SourceError(self.lines.file, node.start_mark.line + self.offset,
                                    f"{where}: {message}" if where else message))

    def value(self, node, path: tuple):
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(node, f"more than {MAX_NODES:,} values (are aliases expanding?)")
        if node.tag not in PLAIN_TAGS:
            self.fail(node, f"tag {node.tag!r} is not allowed: only plain YAML values are read", path)
        if len(self.open) >= MAX_DEPTH:
            self.fail(node, f"nested more than {MAX_DEPTH} levels deep", _key_of(path))
        self.lines.values.setdefault(path, node.start_mark.line + self.offset)
        if isinstance(node, ScalarNode):
            digits = sum(c.isdigit() for c in node.value)
            if node.tag in NUMBER_TAGS and digits > MAX_DIGITS:
                self.fail(node, f"a number of {digits:,} digits is too long to read", path)
            return self.loader.construct_object(node, deep=True)
        if id(node) in self.open:
            self.fail(node, "an alias refers to a value that contains it")
        self.open.add(id(node))
        if isinstance(node, MappingNode):
            result = self.mapping(node, path)
        else:
            result = [self.value(item, path + (index,)) for index, item in enumerate(node.value)]
        self.open.discard(id(node))
        return result

    def mapping(self, node: MappingNode, path: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be plain text, not a list or mapping")
            key = key_node.value
            if key in result:
                self.fail(key_node, f"duplicate key {key!r}")
            self.lines.keys.setdefault(path + (key,), key_node.start_mark.line + self.offset)
            result[key] = self.value(value_node, path + (key,))
        return result
