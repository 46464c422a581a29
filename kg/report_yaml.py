"""YAML with line numbers, for report files people write by hand.

A report's problems are told by the line that caused them, so the loader keeps, for every value,
the line it came from: :func:`load` returns :class:`Node` trees (a mapping, a list or a scalar,
each with its 1-based ``line``) built from PyYAML's composed nodes. Only plain YAML is read: no
tags, no anchors or aliases (a report is data typed by a person; an alias bomb is refused),
no duplicate keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: a report bigger than this is not something a person typed
MAX_BYTES = 5_000_000


class ReportSyntaxError(ValueError):
    """The file is not a readable YAML report. ``str()`` is one line with the line number."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Node:
    """A YAML value and the line it starts on: ``value`` is a dict of ``str`` -> Node, a list of
    Node, or a scalar (str, int, float, bool, None, or an ISO date string)."""

    value: Any
    line: int
    #: for a mapping: the line of each key
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if self.is_map else None

    def items(self) -> Iterator[tuple[str, Node]]:
        return iter(self.value.items()) if self.is_map else iter(())

    def plain(self) -> Any:
        """The value without line numbers."""
        if self.is_map:
            return {k: v.plain() for k, v in self.value.items()}
        if self.is_list:
            return [v.plain() for v in self.value]
        return self.value


def load(text: str) -> Node:
    """Parse ``text`` (one YAML document) into a :class:`Node` tree."""
    import yaml

    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ReportSyntaxError(f"the report is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(str(error.problem or error.context or "not valid YAML").split())
        raise ReportSyntaxError(reason, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise ReportSyntaxError(" ".join(str(error).split())) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise ReportSyntaxError("the report is empty")
    if len(documents) > 1:
        raise ReportSyntaxError("one report per file: found several YAML documents",
                                documents[1].start_mark.line + 1)
    constructor = yaml.SafeLoader("")
    try:
        return _convert(documents[0], set(), constructor)
    finally:
        constructor.dispose()


def _convert(node: Any, seen: set[int], constructor: Any) -> Node:
    import yaml

    line = node.start_mark.line + 1
    if id(node) in seen:
        raise ReportSyntaxError("anchors and aliases (&, *) are not allowed in a report", line)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        value: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ReportSyntaxError("keys must be plain words", key_node.start_mark.line + 1)
            key = " ".join(str(key_node.value).split())
            if key in value:
                raise ReportSyntaxError(f"'{key}' is given twice", key_node.start_mark.line + 1)
            value[key] = _convert(value_node, seen, constructor)
            key_lines[key] = key_node.start_mark.line + 1
        return Node(value, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, seen, constructor) for item in node.value], line)
    return Node(_scalar(node, constructor), line)


def _scalar(node: Any, constructor: Any) -> Any:
    """A scalar as YAML 1.1's safe loader reads it, except that dates stay ISO strings (a date
    is data with a precision here, not a Python object) and explicit tags are refused."""
    import yaml

    tag = node.tag
    if tag and tag.startswith("!") and not tag.startswith("tag:yaml.org"):
        raise ReportSyntaxError(f"tags such as {tag} are not allowed in a report", node.start_mark.line + 1)
    if node.style in ("'", '"', "|", ">"):
        return node.value
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
