"""`apytest.monitoring.scaffold`: copies the shipped files, never an edited one unasked."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from apytest.monitoring import scaffold
from apytest.monitoring.scaffold import Action


def _actions(results: list[scaffold.FileResult]) -> dict[str, Action]:
    return {result.path.name: result.action for result in results}


def test_creates_every_shipped_file(tmp_path: Path) -> None:
    target = tmp_path / "project" / "monitoring"
    results = scaffold.init(target, route="both")
    assert _actions(results) == dict.fromkeys(scaffold.WRITTEN_FILES, Action.CREATED)
    for name in scaffold.SHIPPED_FILES:
        if name not in scaffold.RUNBOOK_LINKS:
            assert (target / name).read_bytes() == scaffold.shipped(name)


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    scaffold.init(tmp_path)
    assert set(_actions(scaffold.init(tmp_path)).values()) == {Action.UNCHANGED}


def test_keeps_an_edited_file(tmp_path: Path) -> None:
    scaffold.init(tmp_path)
    edited = tmp_path / "node_targets.yml"
    edited.write_text("- targets: [ci-1:9100]\n")
    actions = _actions(scaffold.init(tmp_path))
    assert actions["node_targets.yml"] is Action.KEPT
    assert edited.read_text() == "- targets: [ci-1:9100]\n"
    assert actions["prometheus.yml"] is Action.UNCHANGED


def test_force_overwrites_an_edited_file(tmp_path: Path) -> None:
    scaffold.init(tmp_path)
    edited = tmp_path / "pytest_rules.yml"
    edited.write_text("groups: []\n")
    actions = _actions(scaffold.init(tmp_path, force=True))
    assert actions["pytest_rules.yml"] is Action.OVERWRITTEN
    assert edited.read_bytes() == scaffold.render(
        "pytest_rules.yml", "textfile", scaffold.DEFAULT_ADDRESSES, tmp_path
    )


def test_describe_says_how_to_replace_a_kept_file() -> None:
    kept = scaffold.FileResult(Path("monitoring/prometheus.yml"), Action.KEPT)
    assert kept.describe().startswith("kept        monitoring/prometheus.yml")
    assert "--force" in kept.describe()
    created = scaffold.FileResult(Path("monitoring/prometheus.yml"), Action.CREATED)
    assert created.describe() == "created     monitoring/prometheus.yml"


def test_ships_every_file_that_the_config_refers_to() -> None:
    config = scaffold.shipped("prometheus.yml").decode()
    for name in ("pytest_rules.yml", "node_targets.yml", "pushgateway_targets.yml"):
        assert f"- {name}" in config
        assert name in scaffold.SHIPPED_FILES


@pytest.mark.parametrize(
    ("route", "jobs"),
    [("textfile", ["node"]), ("pushgateway", ["pushgateway"]), ("both", ["node", "pushgateway"])],
)
def test_a_route_scrapes_only_its_services(route: str, jobs: list[str], tmp_path: Path) -> None:
    addresses = {"node": "10.0.0.7:9200", "pushgateway": "10.0.0.8:9300"}
    scaffold.init(tmp_path, route=route, addresses=addresses)
    config = (tmp_path / "prometheus.yml").read_text()
    assert re.findall(r"- job_name: (\w+)", config) == jobs
    for job, name in scaffold.TARGETS_FILES.items():
        written = tmp_path / name
        assert written.exists() == (job in jobs)
        if job in jobs:
            assert f"- {addresses[job]}" in written.read_text()
            assert f"- {name}" in config


def test_the_readme_runs_the_commands_init_prints() -> None:
    """The README's commands are the scaffold's, which the end-to-end tests run."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for command in scaffold.commands(Path("monitoring"), "both", scaffold.DEFAULT_ADDRESSES):
        assert f"\n{command}\n" in readme, command


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_every_runbook_url_opens_a_written_file_at_its_alert(tmp_path: Path) -> None:
    target = tmp_path / "my project" / "mönitoring"  # a URL must encode both
    scaffold.init(target)
    for name in scaffold.RUNBOOK_LINKS:
        text = (target / name).read_text(encoding="utf-8")
        alerts = re.findall(r"^ *- alert: (\w+)$", text, re.M)
        links = re.findall(r'^ *runbook_url: "([^"]+)"$', text, re.M)
        commands = re.findall(r'^ *runbook_command: "([^"]+)"$', text, re.M)
        assert links, name
        assert len(commands) == len(links)
        if alerts:  # the rules: one link per alert, in order
            assert [link.rsplit("#", 1)[1] for link in links] == alerts
        for link, command in zip(links, commands, strict=True):
            url = urlsplit(link)
            assert url.scheme == "file"
            page = Path(url2pathname(url.path))
            assert page == target.resolve() / "runbooks.html"
            ids = _Ids()
            ids.feed(page.read_text(encoding="utf-8"))
            assert url.fragment in ids.ids
            assert command == f"apytest alerts runbook {url.fragment}"
