"""Text that every file and store apytest writes can hold.

A test may build a string with a lone surrogate, print one, or be collected from a file whose
name holds bytes that are not UTF-8 (Python keeps each such byte as a lone surrogate): UTF-8
cannot encode any of them, so the run log, the metrics file and both memory backends would
refuse the whole text. Each such character becomes its backslash escape instead (`\\udcff`), as
the run log's stream writes it (`errors="backslashreplace"`, see `files.open_for_writing`).
"""


def encodable(text: str) -> str:
    """`text` with each lone surrogate as its backslash escape; `text` itself when UTF-8 can
    encode it (checked in C: the usual case costs nothing)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
