"""A name a dependency binds only when an optional package imports: found in its source, and
the review says which package is missing instead of "bound the dependency"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apytest.feedback import corpus_memory_logging as memory_api
from apytest.feedback.import_guards import missing_guard

# As pyjwt's jwt/algorithms.py reads: cryptography's names inside a guarded `try:`, the classes
# that need them under `if has_crypto:`.
ALGORITHMS = """\
import hashlib

try:
    from apytest_absent_crypto.hazmat.primitives import hashes
    import apytest_absent_crypto.exceptions as crypto_exceptions
    has_crypto = True
except ModuleNotFoundError:
    has_crypto = False

try:
    import json
except ImportError:
    json = None

if has_crypto:

    class RSAAlgorithm:
        pass

else:

    def fallback():
        pass


def plain():
    pass


def both():
    pass


if has_crypto:
    both = 1
"""


@pytest.fixture
def fakejwt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_tree: Callable[..., object]
) -> None:
    write_tree(tmp_path, {"fakejwt/__init__.py": "", "fakejwt/algorithms.py": ALGORITHMS})
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("hashes", "apytest_absent_crypto"),
        ("crypto_exceptions", "apytest_absent_crypto"),
        ("RSAAlgorithm", "apytest_absent_crypto"),
        ("has_crypto", None),  # bound in the handler too
        ("fallback", None),  # the `else:` of the flag: no guard
        ("plain", None),
        ("both", None),  # bound unguarded once is enough
        ("json", None),  # its guard's import is installed: something else left it out
        ("nowhere", None),
    ],
)
@pytest.mark.usefixtures("fakejwt")
def test_a_name_bound_only_under_a_missing_import(name: str, missing: str | None) -> None:
    assert missing_guard("fakejwt.algorithms", name) == missing


def test_a_module_without_readable_source_gives_no_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_tree: Callable[..., object]
) -> None:
    write_tree(tmp_path, {"broken/__init__.py": "try:\n    import x\nexcept ImportError:\n"})
    monkeypatch.syspath_prepend(str(tmp_path))
    assert missing_guard("broken", "x") is None
    assert missing_guard("apytest_no_such_module.sub", "x") is None


@pytest.mark.slow
def test_a_dependencys_missing_optional_part_is_no_changed_api(
    pytester: pytest.Pytester,
    write_tree: Callable[..., object],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """oauthlib's tests without cryptography: `module 'jwt.algorithms' has no attribute
    'hashes'` was answered "bound pyjwt (for example pyjwt>=2.15,<3)"."""
    installed = tmp_path_factory.mktemp("environment") / "site-packages"
    write_tree(installed, {"fakejwt/__init__.py": "", "fakejwt/algorithms.py": ALGORITHMS})
    monkeypatch.setenv("PYTHONPATH", str(installed))
    write_tree(
        pytester.path,
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1"\n'
            '[project.optional-dependencies]\nsigned = ["apytest-absent-crypto"]\n',
            "test_sign.py": "import fakejwt.algorithms as algorithms\n\n\n"
            "def test_sign():\n    algorithms.hashes.SHA1\n\n\n"
            "def test_rsa():\n    from fakejwt.algorithms import RSAAlgorithm\n",
        },
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    suggestions = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert {(s.nodeid, s.signature) for s in suggestions} == {
        ("test_sign.py::test_sign", "optional-dependencies:apytest-absent-crypto"),
        ("test_sign.py::test_rsa", "optional-dependencies:apytest-absent-crypto"),
    }
    for suggestion in suggestions:
        assert "only when 'apytest_absent_crypto' imports" in suggestion.text
        assert "The project declares 'apytest-absent-crypto' in the extra 'signed'" in (
            suggestion.text
        )
        assert "bound it" not in suggestion.text


@pytest.mark.slow
def test_a_guarded_name_used_while_the_module_is_imported(pytester: pytest.Pytester) -> None:
    """mccabe's tests guard `from hypothesis import settings` and then decorate a test with
    `@settings(...)`: without hypothesis the module fails to collect with a NameError, which
    the guard cannot prevent; the generic "could not be collected" said nothing of why."""
    pytester.makepyprojecttoml(
        '[project]\nname = "demo"\nversion = "1"\n'
        '[dependency-groups]\ntest = ["apytest-absent-fuzzer"]\n'
    )
    pytester.makepyfile(
        test_fuzz="import pytest\n\ntry:\n    import apytest_absent_helper\n"
        "    from apytest_absent_fuzzer import settings\nexcept ImportError:\n"
        "    apytest_absent_helper = None\n\n\n@settings(max_examples=5)\n"
        "@pytest.mark.skipif(not apytest_absent_helper, reason='needs it')\n"
        "def test_fuzz():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    memory = pytester.path / ".apytest" / "memory.sqlite3"
    [suggestion] = [s.suggestion for s in memory_api.suggestions(memory=memory)]
    assert suggestion.signature == "optional-dependencies:apytest-absent-fuzzer"
    assert suggestion.text.startswith(
        "test_fuzz.py:10: NameError: 'settings' is bound only by a guarded import of "
        "'apytest_absent_fuzzer'"
    )
    assert (
        "The project declares 'apytest-absent-fuzzer' in the dependency group 'test' (pip "
        "install --group test), which this environment lacks: install that, or skip the module "
        'without it: `pytest.importorskip("apytest_absent_fuzzer")` at its top.'
    ) in suggestion.text
