"""Lines of code, tokens and distinct API names of an example, computed from its source.

The rules, stated on the page by COUNTING_RULES:
- a line of code is a physical line with a token other than a comment; blank lines, comment
  lines and the `# %%` cell markers do not count;
- a token is a Python token (`tokenize`), without comments, newlines, indentation tokens and
  the end marker; a string literal is one token;
- an API name is a dotted name reached from an import (`nn.Linear` after `from torch import nn`
  is `torch.nn.Linear`), or a method called on a value (`loss.backward()` is `.backward`) unless
  the file defines that name itself or it is a method of a Python built-in type.

"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

COUNTING_RULES = (
    "Lines of code: physical lines holding a Python token other than a comment (blank lines, comments and "
    "`# %%` cell markers excluded). Tokens: Python tokens from `tokenize`, without comments, line breaks and "
    "indentation (a string literal is one token). API names: distinct dotted names reached from an import "
    "(`nn.Linear` after `from torch import nn` counts as `torch.nn.Linear`) plus methods called on values "
    "(`loss.backward()` counts as `.backward`), except names the example defines itself and methods of "
    "Python's built-in types."
)


SKIPPED_TOKENS = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.ENDMARKER, tokenize.ENCODING})


BUILTIN_METHODS = frozenset(name for kind in (list, dict, str, set, tuple, int, float, bytes) for name in dir(kind))


@dataclass(frozen=True)
class CodeMetrics:
    lines_of_code: int
    tokens: int
    api_names: tuple[str, ...]


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    return [token for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type not in SKIPPED_TOKENS]


def lines_of_code(source: str) -> int:
    return len({line for token in _tokens(source) for line in range(token.start[0], token.end[0] + 1)})


def token_count(source: str) -> int:
    return len(_tokens(source))


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> qualified name, from every import in the file."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    names[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _defined_names(tree: ast.AST) -> set[str]:
    """Functions, classes, methods and attributes the example defines: its own names are not API."""
    defined: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
    return defined


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def api_names(source: str) -> tuple[str, ...]:
    tree = ast.parse(source)
    imported, defined = _imported_names(tree), _defined_names(tree)
    found: set[str] = set()
    inner: set[int] = set()  # attribute nodes that are part of a longer chain already counted
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            value = node.value
            while isinstance(value, ast.Attribute):
                inner.add(id(value))
                value = value.value
            parts = _dotted(node)
            if parts and parts[0] in imported:
                found.add(".".join([imported[parts[0]], *parts[1:]]))
                continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported:
            if imported[node.id] != node.id:  # `from torch import nn` then `nn` alone: torch.nn
                found.add(imported[node.id])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            parts = _dotted(node.func)
            method = node.func.attr
            if (parts is None or parts[0] not in imported) and method not in defined and method not in BUILTIN_METHODS:
                found.add(f".{method}")
    # a module used only as a prefix (`torch` in `torch.nn.Linear`) is not a name of its own
    return tuple(sorted(name for name in found
                        if not any(other.startswith(name + ".") for other in found) or name.startswith(".")))


def measure(source: str) -> CodeMetrics | None:
    """None when the source is not Python: it comes from a result file, so a page shows the gap rather than
    failing the build or counting half a file."""
    try:
        return CodeMetrics(lines_of_code=lines_of_code(source), tokens=token_count(source), api_names=api_names(source))
    except (SyntaxError, tokenize.TokenError, ValueError):
        return None
