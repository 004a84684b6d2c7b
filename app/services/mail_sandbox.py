"""The Jinja sandbox tenant admins' mail templates render in, and the child process running it.

Tenant admins write these templates, so a template is untrusted code. Jinja's sandbox keeps it
away from Python's internals but not from the machine's CPU and memory: ``{{ 9**(9**7) }}``,
two nested ``range(100000)`` loops or ``"x"|center(10**9)`` would stall or exhaust whatever
process renders them. Two layers stop that:

- :class:`LimitedEnvironment` refuses the known expensive operations up front (huge powers,
  products and paddings, a range budget per render, an output size cap), so a template that
  is merely silly fails fast with a clear message.
- Rendering happens in a child process (this file run as a script in Python's isolated mode,
  driven by ``app.services.mail_renderer``) with CPU-time and memory limits and an
  environment without the platform's secrets; whatever slips past the first layer costs that
  process, never the web backend, which kills it after a wall-clock timeout.

This module imports only Jinja (and the standard library): the child starts fast and needs
nothing of the app, not even its settings.
"""

from __future__ import annotations

import json
import math
import operator
import os
import re
import resource
import sys
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 200_000
"""Characters one rendered part (subject, HTML or text body) may have."""
MAX_RANGE_ITEMS = 10_000
"""Items all ``range()`` calls of one render may produce together."""
MAX_INT_BITS = 4_096
"""Size of the integers arithmetic may produce."""
CPU_SECONDS = 2
"""CPU time one render may use in the child before the kernel stops it."""
MEMORY_BYTES = 512 * 1024 * 1024
"""Address space of the child process (a render allocating more gets a MemoryError)."""

_PADDING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{4,}|\d*\.(\*|\d{4,}))|\{[^{}]*:[^}]*(\d{4,}|\{)")


class TooExpensive(Exception):
    """The template asks for more computation, memory or output than a mail may take."""


def _size(value: Any) -> int | None:
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    return None


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TooExpensive("number too large")
    return value


def _power(base: Any, exponent: Any) -> Any:
    if isinstance(base, int | float) and isinstance(exponent, int | float):
        magnitude = abs(base)
        if magnitude > 1 and exponent > 0:
            bits = math.log2(magnitude) * exponent
            if bits > MAX_INT_BITS:
                raise TooExpensive("power too large")
    return _check_int(operator.pow(base, exponent))


def _multiply(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        length = _size(sequence)
        if length is not None and isinstance(count, int) and length * count > MAX_OUTPUT:
            raise TooExpensive("sequence too long")
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise TooExpensive("number too large")
    return operator.mul(left, right)


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, str) and _WIDE_FORMAT.search(fmt):
        raise TooExpensive("format width too large")


def _modulo(left: Any, right: Any) -> Any:
    _check_format(left)
    return _check_int(operator.mod(left, right))


def _check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_OUTPUT:
        raise TooExpensive("width too large")
    if isinstance(width, str) and len(width) > 1_000:
        raise TooExpensive("width too large")


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(new, str):
        worst = len(text) + (len(text) + 1) * len(new)
        if worst > MAX_OUTPUT and (old == "" or len(new) > len(old)):
            raise TooExpensive("replacement too long")


class _BoundedNamespace(jinja2.utils.Namespace):
    """``namespace()`` whose attributes cannot grow past the output cap (no doubling loops)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if (_size(value) or 0) > MAX_OUTPUT:
            raise TooExpensive("value too long")
        super().__setitem__(name, value)


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with limits on arithmetic, padding, ranges and output."""

    intercepted_binops = frozenset({"**", "*", "%", "//", "+"})

    def __init__(self, *, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape, undefined=jinja2.StrictUndefined)
        self.range_budget = MAX_RANGE_ITEMS
        self.globals["range"] = self._range
        self.globals["namespace"] = _BoundedNamespace
        self.globals.pop("lipsum", None)
        self.filters.update(
            center=_center,
            indent=_indent,
            format=_format,
            replace=_replace,
            slice=_slice,
            batch=_batch,
        )

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        """Arithmetic with bounded results (``**``, ``*``, ``%``; ``//`` and ``+`` checked)."""
        if operator_name == "**":
            return _power(left, right)
        if operator_name == "*":
            return _multiply(left, right)
        if operator_name == "%":
            return _modulo(left, right)
        if operator_name == "+":
            return _check_int(operator.add(left, right))
        return _check_int(operator.floordiv(left, right))

    def call(
        __self,
        __context: Any,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Calls with bounded results: string padding and replacement."""
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _PADDING_METHODS:
                for value in (*args, *kwargs.values()):
                    _check_width(value)
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` with a bounded width (Jinja wraps it at attribute access)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def _range(self, *args: int) -> range:
        span = range(*args)
        self.range_budget -= len(span)
        if self.range_budget < 0:
            raise TooExpensive("too many loop steps")
        return span


def _center(value: Any, width: int = 80) -> str:
    _check_width(width)
    return str(value).center(width)


def _indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
    _check_width(width)
    return jinja2.filters.do_indent(value, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_format(value)
    return jinja2.filters.do_format(value, *args, **kwargs)


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None) -> Any:
    _check_replace(str(value), str(old), str(new))
    return jinja2.filters.do_replace(eval_ctx, value, old, new, count)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    _check_width(slices)
    return jinja2.filters.do_slice(value, slices, fill_with)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    _check_width(linecount)
    return jinja2.filters.do_batch(value, linecount, fill_with)


def _bounded(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise TooExpensive("output too long")
        parts.append(chunk)
    return "".join(parts)


class Forbidden(Exception):
    """The template uses a placeholder it may not (e.g. ``link``: only the layout has it)."""


def render_parts(
    subject: str,
    html: str,
    text: str,
    values: dict[str, Any],
    forbidden: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Render a template's three parts with the limits (in whatever process calls it).

    Returns:
        ``subject``, ``html`` (the body, autoescaped; cleaned by the parent,
        ``app.services.mail_html``) and ``text``.

    Raises:
        TooExpensive: a limit was hit.
        Forbidden: a part uses one of the ``forbidden`` placeholders.
        jinja2.TemplateError: the source is broken or uses an unknown placeholder.
    """
    rendered: dict[str, Any] = {}
    for part, source, autoescape in (
        ("subject", subject, False),
        ("html", html, True),
        ("text", text, False),
    ):
        env = LimitedEnvironment(autoescape=autoescape)
        tree = env.parse(source)
        used = jinja2.meta.find_undeclared_variables(tree) & forbidden
        if used:
            raise Forbidden(sorted(used)[0])
        rendered[part] = _bounded(env.from_string(tree).generate(values))  # type: ignore[arg-type]
    return rendered


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The child's reply to one render request (never raises)."""
    try:
        return {
            "ok": render_parts(
                request["subject"],
                request["html"],
                request["text"],
                request["values"],
                frozenset(request.get("forbidden", ())),
            )
        }
    except (TooExpensive, MemoryError, RecursionError, OverflowError):
        return {"error": "too_expensive"}
    except Forbidden as exc:
        return {"error": "forbidden", "name": str(exc)}
    except jinja2.TemplateError as exc:
        return {"error": "invalid", "detail": str(exc)[:200]}
    except Exception as exc:  # a template error Jinja does not wrap (e.g. 1/0, int("x"))
        return {"error": "invalid", "detail": f"{type(exc).__name__}: {exc}"[:200]}


def _limit_cpu_for_next_render() -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = math.ceil(usage.ru_utime + usage.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = spent + CPU_SECONDS
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def serve(read: Callable[[], str], write: Callable[[str], None]) -> None:
    """Answer render requests (one JSON object per line) until the input ends."""
    os.nice(10)  # renders yield the CPU to the web backend that waits for them
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    while line := read():
        _limit_cpu_for_next_render()
        write(json.dumps(answer(json.loads(line))) + "\n")


def main() -> None:
    """Entry point of the child process: requests on stdin, replies on stdout."""

    def write(reply: str) -> None:
        sys.stdout.write(reply)
        sys.stdout.flush()

    serve(sys.stdin.readline, write)


if __name__ == "__main__":
    main()
