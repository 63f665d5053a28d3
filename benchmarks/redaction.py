"""How well redaction works: secrets caught and look-alikes left intact, on a fixed corpus.

    .venv/bin/python benchmarks/redaction.py

The corpus is `tests/feedback/redaction_corpus.py` (real secret formats, and look-alikes from
ordinary test code); its test asserts apytest's rates are 100% both ways. This script prints
the rates and the time per text of apytest's redaction and, when detect-secrets is installed
(`pip install detect-secrets`), of detect-secrets with its default plugins and with its format
plugins only (no keyword or entropy heuristics), used the way a redactor would use it: every
value it reports on a line is replaced. The figures are in `dependency_registry.md`, which
records why apytest keeps its own patterns.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from apytest.feedback.redact import MARK, redact

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "feedback" / "redaction_corpus.py"
REPEAT = 20
_HEURISTICS = (
    "KeywordDetector",
    "Base64HighEntropyString",
    "HexHighEntropyString",
    "IPPublicDetector",
)


def _corpus() -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str]]]:
    spec = importlib.util.spec_from_file_location("redaction_corpus", CORPUS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SECRETS, module.LOOK_ALIKES


def _detect_secrets(
    formats_only: bool,
) -> tuple[Callable[[str], str], Callable[[], AbstractContextManager[object]]]:
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings, get_settings, transient_settings

    def redactor(text: str) -> str:
        for line in text.splitlines():
            for secret in scan_line(line):
                if secret.secret_value:
                    text = text.replace(secret.secret_value, MARK)
        return text

    @contextmanager
    def settings() -> Iterator[object]:
        with default_settings():
            names = [
                name
                for name in get_settings().plugins
                if not (formats_only and name in _HEURISTICS)
            ]
        with transient_settings({"plugins_used": [{"name": name} for name in names]}) as used:
            yield used

    return redactor, settings


def measure(
    name: str,
    redactor: Callable[[str], str],
    settings: Callable[[], AbstractContextManager[object]],
) -> None:
    secrets, look_alikes = _corpus()
    with settings():
        missed = [
            label for label, text, values in secrets if any(v in redactor(text) for v in values)
        ]
        changed = [label for label, text in look_alikes if redactor(text) != text]
        texts = [text for _, text, _ in secrets] + [text for _, text in look_alikes]
        started = time.perf_counter()
        for _ in range(REPEAT):
            for text in texts:
                redactor(text)
        per_text = (time.perf_counter() - started) / (REPEAT * len(texts))
    caught, intact = len(secrets) - len(missed), len(look_alikes) - len(changed)
    print(
        f"{name:34} secrets redacted {caught}/{len(secrets)} ({caught / len(secrets):.0%})  "
        f"look-alikes intact {intact}/{len(look_alikes)} ({intact / len(look_alikes):.0%})  "
        f"{per_text * 1e6:.0f} us/text"
    )
    for label in missed:
        print(f"    missed: {label}")
    for label in changed[:8]:
        print(f"    changed: {label}")
    if len(changed) > 8:
        print(f"    ... and {len(changed) - 8} more look-alikes changed")


def main() -> int:
    measure("apytest.feedback.redact", redact, nullcontext)
    try:
        import detect_secrets  # noqa: F401
    except ImportError:
        print("detect-secrets is not installed: pip install detect-secrets to compare")
        return 0
    measure("detect-secrets (default plugins)", *_detect_secrets(formats_only=False))
    measure("detect-secrets (format plugins)", *_detect_secrets(formats_only=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
