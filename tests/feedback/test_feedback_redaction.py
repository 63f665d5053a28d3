"""Redaction measured on a corpus: every secret format redacted, every look-alike left alone.

The corpus (`redaction_corpus.py`, beside this file) holds real secret formats and look-alikes
from ordinary test code; `benchmarks/redaction.py` prints the same rates next to detect-secrets'.
Redaction also comes before any cut: a secret split by shortening would escape every pattern.
"""

from __future__ import annotations

import pytest
from redaction_corpus import LOOK_ALIKES, SECRETS

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.redact import MARK, redact, redact_nodeid, redact_with_nodeids


def test_the_corpus_is_large_enough() -> None:
    assert len(SECRETS) >= 40
    assert len(LOOK_ALIKES) >= 40


@pytest.mark.parametrize(
    ("text", "secrets"), [(t, s) for _, t, s in SECRETS], ids=[n for n, _, _ in SECRETS]
)
def test_every_secret_format_is_redacted(text: str, secrets: tuple[str, ...]) -> None:
    redacted = redact(text)
    assert MARK in redacted
    for secret in secrets:
        assert secret not in redacted
    assert redact(redacted) == redacted  # stored texts are redacted again on the way out


@pytest.mark.parametrize("text", [t for _, t in LOOK_ALIKES], ids=[n for n, _ in LOOK_ALIKES])
def test_every_look_alike_is_left_intact(text: str) -> None:
    assert redact(text) == text


def test_a_secret_in_a_long_text_is_found_on_its_line() -> None:
    token = SECRETS[4][2][0]
    lines = [f"line {n} of captured output" for n in range(5000)]
    lines[2500] = f"cloning with {token}"
    redacted = redact("\n".join(lines))
    assert token not in redacted
    assert redacted.splitlines()[2499] == "line 2499 of captured output"


def test_node_ids_are_redacted_in_their_parameters_only() -> None:
    token = SECRETS[4][2][0]
    assert redact_nodeid(f"tests/test_api.py::test_login[{token}]") == (
        f"tests/test_api.py::test_login[{MARK}]"
    )
    assert redact_nodeid("tests/test_token.py::test_token_refresh") == (
        "tests/test_token.py::test_token_refresh"
    )


def test_node_ids_and_texts_mask_in_each_other_what_either_gives_away() -> None:
    """The run log's redaction: passing tests by their node ids' parameters, every other record
    whole, and a value one of them gives away masked in all of them, both ways."""
    token = SECRETS[4][2][0]
    texts, nodeids = redact_with_nodeids(
        ['    password = "hunter2-horse"\n', "the server said open-sesame-1\n"],
        [
            f"t.py::test_a[{token}]",
            "t.py::test_b[hunter2-horse]",  # given away by the first text
            "t.py::test_c[password=open-sesame-1]",  # gives away what the second text says
            "t.py::test_token_refresh",  # names and paths are code
        ],
    )
    assert texts == [f'    password = "{MARK}"\n', f"the server said {MARK}\n"]
    assert nodeids == [
        f"t.py::test_a[{MARK}]",
        f"t.py::test_b[{MARK}]",
        f"t.py::test_c[password={MARK}]",
        "t.py::test_token_refresh",
    ]


SESSION = """
import pytest

KEY = {key!r}
TOKEN = {token!r}


@pytest.mark.parametrize("credential", [TOKEN])
def test_login(credential):
    print(KEY)  # the key block first, then more output than is kept
    print("filler line of captured output\\n" * 400)
    assert credential == "expected"
"""


@pytest.mark.slow
def test_no_secret_reaches_the_log_the_memory_the_inventory_or_the_archive(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from apytest.cli.apytest import main

    [(_, key, key_parts)] = [entry for entry in SECRETS if entry[0] == "rsa private key"]
    token = SECRETS[4][2][0]
    pytester.makepyfile(test_leaky=SESSION.format(key=key, token=token))
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
    monkeypatch.chdir(pytester.path)
    assert main(["inventory"]) == 0
    assert main(["archive", "-o", "out.tar.gz"]) == 0
    capsys.readouterr()

    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [recorded] = memory_api.recorded_failures(memory=memory)
    stored = [
        *(recorded.failure.nodeid, recorded.failure.message, recorded.failure.traceback),
        recorded.failure.output,
        *(result.nodeid for result in memory_api.last_run(memory=memory).results),  # type: ignore[union-attr]
    ]
    assert MARK in recorded.failure.nodeid
    import tarfile

    with tarfile.open(pytester.path / "out.tar.gz") as archive:
        packed = [
            archive.extractfile(member).read().decode()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        ]
    texts = {
        "run log": (pytester.path / "logs" / "pytest.log").read_text(),
        "memory": "\n".join(stored),
        "memory files": b"".join(
            p.read_bytes() for p in memory.parent.glob("memory.sqlite3*")
        ).decode("utf-8", "replace"),
        "inventory": (pytester.path / "testing" / "recorded_failures.md").read_text(),
        "archive": "\n".join(packed),
    }
    for where, text in texts.items():
        assert token not in text, where
        for part in key_parts:
            assert part not in text, where
    assert MARK in texts["run log"]


TWO_TOKENS = """
import pytest

@pytest.mark.parametrize("token", ["ghp_{a}", "ghp_{b}"])
def test_login(token):
    assert token.endswith("{fail}")
"""


def test_tests_whose_node_ids_redact_alike_are_stored_as_one_result(
    pytester: pytest.Pytester,
) -> None:
    """Two tokens as parameters give two tests one redacted node id: the run is stored with one
    result for both (the worse outcome), never refused by the memory's key."""
    a, b = "a" * 36, "b" * 36
    pytester.makepyfile(test_two=TWO_TOKENS.format(a=a, b=b, fail=b))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert "apytest: warning" not in result.stdout.str()
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    run = memory_api.last_run(memory=memory)
    assert run is not None
    assert [(r.nodeid, r.outcome) for r in run.results] == [
        (f"test_two.py::test_login[{MARK}]", "failed")
    ]
