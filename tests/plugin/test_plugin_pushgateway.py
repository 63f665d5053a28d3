"""Pushes to a real Pushgateway (Debian's `prometheus-pushgateway`) with basic auth."""

from __future__ import annotations

import base64
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.e2e

USER, PASSWORD = "ci", "s3cret"
# bcrypt("s3cret", cost 4), made once with `crypt.crypt(PASSWORD, crypt.mksalt(METHOD_BLOWFISH))`.
PASSWORD_HASH = "$2b$04$BDDZbkBG7mUDaZ5s4jFwb.DWEPsTe4/ExGouXT9UiBbVr4yXUMGle"
AUTHORIZATION = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def scrape(address: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    request = urllib.request.Request(
        f"http://{address}/metrics", headers={"Authorization": AUTHORIZATION}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("pytest_")
    }


@pytest.fixture
def pushgateway(require_binary: Callable[[str], Path], tmp_path: Path) -> Iterator[str]:
    """A real Pushgateway on a free 127.0.0.1 port, with basic auth; its HOST:PORT."""
    binary = require_binary("prometheus-pushgateway")
    web_config = tmp_path / "web.yml"
    web_config.write_text(f"basic_auth_users:\n  {USER}: '{PASSWORD_HASH}'\n")
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [
            str(binary),
            f"--web.listen-address={address}",
            f"--web.config.file={web_config}",
            # In memory only: Debian's default persistence file is shared by every user.
            "--persistence.file=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                scrape(address)
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the Pushgateway never became ready"
                time.sleep(0.1)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_one_push_per_session_into_a_stable_group(
    suite: pytest.Pytester, pushgateway: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APYTEST_PUSHGATEWAY_USERNAME", USER)
    monkeypatch.setenv("APYTEST_PUSHGATEWAY_PASSWORD", PASSWORD)
    args = [f"--apytest-pushgateway={pushgateway}", "--apytest-instance=runner-7"]
    suite.runpytest(*args).assert_outcomes(
        passed=2, failed=1, errors=1, skipped=1, xfailed=1, xpassed=1
    )
    suite.runpytest(*args)

    pushed = scrape(pushgateway)
    group = {"job": "pytest", "instance": "runner-7", "project": "demo"}

    def value(name: str, **labels: str) -> float:
        return pushed[name, frozenset({**group, **labels}.items())]

    # The counters continue from the textfile, as in the file: two sessions, two failures each.
    assert value("pytest_test_failures_total") == 4
    assert value("pytest_test_duration_seconds_count") == 10
    assert value("pytest_session_tests", outcome="error") == 1
    assert value("pytest_session_exit_status") == 1
    # One group for the runner, never one per run.
    groups = {
        frozenset((k, v) for k, v in labels if k in ("job", "instance"))
        for name, labels in pushed
        if name == "pytest_session_exit_status"
    }
    assert groups == {frozenset({("job", "pytest"), ("instance", "runner-7")})}


def test_rejected_credentials_warn_without_changing_the_outcome(
    pytester: pytest.Pytester, pushgateway: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APYTEST_PUSHGATEWAY_USERNAME", USER)
    monkeypatch.setenv("APYTEST_PUSHGATEWAY_PASSWORD", "wrong")
    pytester.makepyfile(test_green="def test_ok():\n    pass\n")
    result = pytester.runpytest(f"--apytest-pushgateway={pushgateway}")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [f"apytest: warning: cannot push to the Pushgateway {pushgateway}: *"]
    )
    assert not any(name == "pytest_session_exit_status" for name, _ in scrape(pushgateway))


def test_unreachable_pushgateway_is_a_warning(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_green="def test_ok():\n    pass\n")
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    result = pytester.runpytest(f"--apytest-pushgateway={address}")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"apytest: warning: cannot push to the Pushgateway {address}: *"])
    assert "Traceback" not in result.stdout.str()
