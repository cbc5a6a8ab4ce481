"""A training file, measured where it lies: the reader's JSONL, read a
slice of bytes at a time in the browser's worker, never sent anywhere.

Two formats are read, as the fine-tuning services take them: OpenAI's chat
format, one ``{"messages": [{"role", "content"}, ...]}`` object a line, and
the older ``{"prompt", "completion"}`` pairs. A file is one format
throughout. Each line is checked as the vendors' own validators check it
(OpenAI's data-preparation cookbook lists the same faults): JSON that does
not parse, a line that is not an object, no messages, a message with no role
or an unknown one, an empty message, no assistant reply to learn from, text
that is not UTF-8, and an example longer than the tuned model's context
window. Every fault names its line.

Tokens are an estimate, and the result says so: about four characters a
token, the rule of thumb OpenAI gives for English text, plus the few tokens
its cookbook counts around every message (``TOKENS_PER_MESSAGE``) and every
example (``TOKENS_PER_REPLY``). Code and languages other than English
usually take more tokens than this; the vendor's tokenizer gives the exact
count. Exact counting would need the tokenizer itself, which is not
standard-library Python.
"""

from __future__ import annotations

import json
import math

from .display import count

CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English text
TOKENS_PER_MESSAGE = 4  # the cookbook's num_tokens_from_messages: 3 a message, and 1 its role name ...
TOKENS_PER_REPLY = 3  # ... and 3 that prime the reply, once an example
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
MAX_LINE = 8_000_000  # bytes: a longer line is reported, not held
BOM = b"\xef\xbb\xbf"
MAX_LISTED = 100  # faults listed; the rest are counted
ESTIMATE = (f"Tokens are estimated at {CHARS_PER_TOKEN} characters a token, OpenAI's rule of thumb for "
            "English, plus the tokens its cookbook counts around each message; code and other languages "
            "usually take more. The vendor's tokenizer gives the exact count.")


def tokens(text: str) -> int:
    """The estimated tokens of a text: a quarter of its characters, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class TrainingFile:
    """Fed the file's bytes in slices of any size (a line, or a character,
    may span two), in order; ``finish`` gives the measure. Holds one line at
    a time, so a file of any size streams in constant memory. Each line is
    decoded on its own, so a byte that is not UTF-8 is a fault of its line."""

    def __init__(self, context_tokens: int | None = None, model_name: str = "the tuned model"):
        self.context, self.model_name = context_tokens, model_name
        self.line = 0
        self.carry: list[bytes] = []
        self.carried = 0
        self.skipping = False  # inside a line already reported as too long
        self.format: str | None = None
        self.format_line = 0
        self.examples = self.tokens = self.longest = self.blank = 0
        self.faults: list[dict] = []
        self.fault_count = 0
        self.size = 0

    def feed(self, data: bytes) -> None:
        if not self.size and data.startswith(BOM):
            data = data[len(BOM):]  # a byte-order mark opens many files saved on Windows: not part of line 1
            self.size += len(BOM)
        self.size += len(data)
        parts = data.split(b"\n")
        for part in parts[:-1]:
            self._end_line(part)
        self._hold(parts[-1])

    def finish(self) -> dict:
        if self.carry or self.skipping:
            self._end_line(b"")
        return self._measure()

    def _hold(self, part: bytes) -> None:
        if self.skipping or not part:
            return
        self.carry.append(part)
        self.carried += len(part)
        if self.carried > MAX_LINE:
            self.line += 1
            self._too_long()
            self.carry, self.carried, self.skipping = [], 0, True

    def _end_line(self, part: bytes) -> None:
        if self.skipping:  # the rest of a line reported already
            self.skipping = False
            return
        self.line += 1
        if self.carry:
            part = b"".join(self.carry) + part
            self.carry, self.carried = [], 0
        if len(part) > MAX_LINE:
            return self._too_long()
        if not part.strip():
            self.blank += 1
            return
        try:
            text = part.decode("utf-8")
        except UnicodeDecodeError as error:
            return self._fault(f"is not UTF-8 text: byte {count(error.start + 1)} of the line "
                               "(save the file as UTF-8)")
        self._example(text)

    def _too_long(self) -> None:
        self._fault(f"is longer than {count(MAX_LINE)} bytes; no example is that long")

    def _example(self, text: str) -> None:
        try:
            example = json.loads(text)
        except (ValueError, RecursionError) as error:
            return self._fault(f"is not valid JSON: {_json_reason(error)}")
        if not isinstance(example, dict):
            return self._fault(f"is a JSON {_kind(example)}, not an object: each line is one example")
        kind = "chat" if "messages" in example else "prompt_completion" if "prompt" in example or "completion" in example \
            else None
        if kind is None:
            return self._fault('has neither "messages" (the chat format) nor "prompt" and "completion"')
        if self.format is None:
            self.format, self.format_line = kind, self.line
        elif kind != self.format:
            return self._fault(f"is a {FORMATS[kind]} example, but line {count(self.format_line)} began the file "
                               f"in the {FORMATS[self.format]} format: a file is one format throughout")
        measured = _chat(example) if kind == "chat" else _prompt_completion(example)
        if isinstance(measured, str):
            return self._fault(measured)
        if self.context is not None and measured > self.context:
            return self._fault(f"has about {count(measured)} tokens, more than the {count(self.context)}-token "
                               f"context of {self.model_name}")
        self.examples += 1
        self.tokens += measured
        self.longest = max(self.longest, measured)

    def _fault(self, message: str) -> None:
        self.fault_count += 1
        if len(self.faults) < MAX_LISTED:
            self.faults.append({"line": self.line, "message": message})

    def _measure(self) -> dict:
        mean = math.ceil(self.tokens / self.examples) if self.examples else None
        fields = {"training.examples": str(self.examples), "training.tokens_per_example": str(mean)} \
            if self.examples else {}
        return {"lines": self.line, "blank_lines": self.blank, "bytes": self.size,
                "format": self.format, "examples": self.examples,
                "tokens_total": self.tokens, "tokens_per_example": mean, "longest_tokens": self.longest or None,
                "context_tokens": self.context, "faults": self.faults, "fault_count": self.fault_count,
                "estimate": ESTIMATE, "fields": fields, "summary": self._summary(mean)}

    def _summary(self, mean: int | None) -> str:
        if not self.line or self.line == self.blank:
            return "The file is empty: it holds no examples."
        said = (f"{count(self.examples)} {'example' if self.examples == 1 else 'examples'} "
                f"in the {FORMATS[self.format]} format" if self.examples else "No example could be read")
        if mean is not None:
            said += f", about {count(mean)} tokens each (an estimate; the longest about {count(self.longest)})"
        if self.fault_count:
            lines = "line has a problem" if self.fault_count == 1 else "lines have problems"
            said += f". {count(self.fault_count)} {lines}: the vendor refuses a file until every line is right"
        return said + "."


FORMATS = {"chat": "chat", "prompt_completion": "prompt-and-completion"}


def _chat(example: dict) -> int | str:
    """An example's estimated tokens, or what is wrong with it."""
    messages = example["messages"]
    if not isinstance(messages, list) or not messages:
        return '"messages" must be a list of at least one message'
    total = TOKENS_PER_REPLY
    replies = 0
    for number, message in enumerate(messages, 1):
        if not isinstance(message, dict):
            return f"message {number} is a JSON {_kind(message)}, not an object"
        role = message.get("role")
        if role is None:
            return f'message {number} has no "role"'
        if role not in ROLES:
            return f"message {number} has the role {json.dumps(role)[:40]}; roles are {', '.join(ROLES)}"
        text = _content(message.get("content"))
        calls = message.get("tool_calls") or message.get("function_call")
        if text is None:
            return f'message {number} ({role}): "content" must be text or a list of parts'
        if not text.strip() and not (role == "assistant" and calls):
            return f"message {number} ({role}) is empty"
        replies += role == "assistant"
        total += TOKENS_PER_MESSAGE + tokens(text)
        if calls:
            total += tokens(json.dumps(calls, ensure_ascii=False))
    if not replies:
        return "has no assistant message: there is nothing for the model to learn to say"
    return total


def _content(content: object) -> str | None:
    """A message's text: a string, the text parts of a list, or "" when absent."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(part, dict) for part in content):
        return "".join(part["text"] for part in content if isinstance(part.get("text"), str))
    return None


def _prompt_completion(example: dict) -> int | str:
    for key in ("prompt", "completion"):
        if not isinstance(example.get(key), str):
            return f'"{key}" must be text' if key in example else f'has no "{key}"'
    if not example["completion"].strip():
        return '"completion" is empty: there is nothing for the model to learn to say'
    return tokens(example["prompt"]) + tokens(example["completion"])


def _kind(value: object) -> str:
    return {list: "list", str: "string", bool: "true or false", type(None): "null"}.get(type(value), "number")


def _json_reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (character {count(error.colno)})"  # some messages end "... starting at"
    return "nested too deeply" if isinstance(error, RecursionError) else str(error)[:120]
