"""The training file, read in chunks as the browser's worker reads it."""

from __future__ import annotations

import json

import pytest

from generator.engine.trainfile import MAX_LINE, TrainingFile

from .conftest import TODAY, session


def chat(user: str, reply: str, system: str | None = None) -> str:
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": user}, {"role": "assistant", "content": reply}]
    return json.dumps({"messages": messages})


def read(text: str | bytes, chunk: int = 7, context: int | None = None) -> dict:
    data = text.encode() if isinstance(text, str) else text
    reader = TrainingFile(context, "Test model")
    for start in range(0, len(data), chunk):  # lines and characters split across slices, as a file's are
        reader.feed(data[start:start + chunk])
    return reader.finish()


def test_a_valid_chat_file_gives_the_examples_and_their_estimated_tokens():
    # "Hi there" is 8 characters: 2 tokens; "Hello!" 6: 2; the roles 1 each.
    # An example: 3 (the reply's priming) + 2 messages x (3 + 1 role) + 2 + 2 = 15 tokens.
    lines = [chat("Hi there", "Hello!") for _ in range(3)]
    measured = read("\n".join(lines) + "\n")
    assert measured["examples"] == 3 and measured["format"] == "chat"
    assert measured["tokens_per_example"] == 15 and measured["tokens_total"] == 45
    assert measured["faults"] == [] and measured["fault_count"] == 0
    assert measured["fields"] == {"training.examples": "3", "training.tokens_per_example": "15"}
    assert "estimate" in measured["summary"] and "4 characters a token" in measured["estimate"]


def test_a_prompt_and_completion_file_is_read_too():
    text = "\n".join(json.dumps({"prompt": "a" * 40, "completion": "b" * 9}) for _ in range(2))  # no newline at the end
    measured = read(text, chunk=1000)
    assert (measured["examples"], measured["format"], measured["tokens_per_example"]) == (2, "prompt_completion", 13)


def test_three_planted_faults_are_reported_at_their_lines():
    lines = [chat("q", "a")] * 10
    lines[2] = '{"messages": [{"role": "user", "content": "q"}'  # line 3: cut short
    lines[5] = json.dumps({"messages": [{"content": "q"}, {"role": "assistant", "content": "a"}]})  # line 6
    lines[8] = json.dumps({"messages": [{"role": "user", "content": "  "}, {"role": "assistant", "content": "a"}]})
    measured = read("\n".join(lines) + "\n")
    assert [(fault["line"], fault["message"].split(":")[0]) for fault in measured["faults"]] == [
        (3, "is not valid JSON"), (6, 'message 1 has no "role"'), (9, "message 1 (user) is empty")]
    assert measured["examples"] == 7 and measured["fault_count"] == 3
    assert "3 lines have problems" in measured["summary"]


@pytest.mark.parametrize("line, says", [
    ("[1, 2]", "is a JSON list, not an object"),
    ('{"text": "x"}', 'has neither "messages"'),
    ('{"messages": []}', "must be a list of at least one message"),
    ('{"messages": [{"role": "user", "content": "q"}]}', "has no assistant message"),
    ('{"messages": [{"role": "robot", "content": "q"}]}', 'has the role "robot"'),
    ('{"messages": [{"role": "user", "content": 5}]}', '"content" must be text'),
    ('{"prompt": "q", "completion": " "}', '"completion" is empty'),
    ('{"prompt": "q"}', 'has no "completion"'),
    ("[" * 100_000, "is not valid JSON"),
])
def test_each_fault_names_its_line(line, says):
    first = json.dumps({"prompt": "q", "completion": "a"}) if line.startswith('{"prompt"') else chat("q", "a")
    measured = read(first + "\n" + line + "\n", chunk=4096)
    assert measured["examples"] == 1
    assert measured["faults"][0]["line"] == 2 and says in measured["faults"][0]["message"]


def test_a_byte_that_is_not_utf8_is_a_fault_of_its_line_and_a_replacement_character_is_text():
    lines = [chat("caf\u00e9 \u4e2d\u6587", "\ufffd is a character too").encode(), b'{"prompt": "\xff"}',
             chat("q", "a").encode()]
    measured = read(b"\r\n".join(lines), chunk=5)  # CRLF, and the two-byte and three-byte characters split
    assert measured["examples"] == 2
    assert [(f["line"], f["message"]) for f in measured["faults"]] == [
        (2, "is not UTF-8 text: byte 13 of the line (save the file as UTF-8)")]


def test_a_byte_order_mark_is_not_part_of_the_first_line():
    assert read(b"\xef\xbb\xbf" + chat("q", "a").encode())["examples"] == 1


def test_a_file_is_one_format_throughout():
    measured = read(chat("q", "a") + "\n" + json.dumps({"prompt": "q", "completion": "a"}))
    assert measured["faults"][0]["line"] == 2 and "line 1 began the file in the chat format" in measured["faults"][0]["message"]


def test_an_example_longer_than_the_context_is_a_fault():
    measured = read(chat("x" * 400, "y") + "\n" + chat("q", "a"), chunk=50, context=100)
    assert measured["faults"][0]["line"] == 1 and "more than the 100-token context of Test model" in measured["faults"][0]["message"]
    assert measured["examples"] == 1


def test_an_empty_file_fills_nothing():
    for text in ("", "\n\n  \n"):
        measured = read(text)
        assert measured["examples"] == 0 and measured["fields"] == {} and measured["faults"] == []
        assert measured["summary"] == "The file is empty: it holds no examples."


def test_a_line_too_long_to_hold_is_reported_and_skipped():
    reader = TrainingFile()
    reader.feed((chat("q", "a") + "\n").encode())
    for _ in range(MAX_LINE // 1_000_000 + 2):
        reader.feed(b"x" * 1_000_000)  # one line, never ended
    reader.feed(("\n" + chat("q", "a")).encode())
    measured = reader.finish()
    assert measured["examples"] == 2 and measured["faults"][0]["line"] == 2
    assert "is longer than 8,000,000 bytes" in measured["faults"][0]["message"]
    assert measured["lines"] == 3
    whole = TrainingFile()
    whole.feed(b"x" * (MAX_LINE + 1) + b"\n" + chat("q", "a").encode())  # too long inside one slice, too
    assert [f["line"] for f in whole.finish()["faults"]] == [1]


def test_faults_past_the_listed_hundred_are_counted():
    measured = read("nope\n" * 250, chunk=100)
    assert len(measured["faults"]) == 100 and measured["fault_count"] == 250 and measured["faults"][-1]["line"] == 100


def test_the_session_holds_the_file_to_the_tuned_models_context(catalog):
    reader = session().training_file(json.dumps({"fields": {}, "today": TODAY}))
    reader.feed(chat("q", "a").encode())
    measured = json.loads(reader.finish())
    offer = catalog.offers[catalog.defaults["training.offer"]]
    assert measured["context_tokens"] == catalog.models[offer.models[0]].context_tokens
    assert measured["examples"] == 1
