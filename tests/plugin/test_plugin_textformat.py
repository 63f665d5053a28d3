"""The plugin's own text-format writer and reader, checked against prometheus_client's."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

from apytest.plugin.textformat import Family, Sample, parse, render

label_values = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
values = st.floats(allow_nan=False) | st.sampled_from([math.inf, -math.inf, 0.0, 1e21, 5e-324])
labels = st.dictionaries(st.sampled_from(["project", "outcome", "le", "x_y"]), label_values)
gauges = st.builds(
    lambda name, help_text, samples: Family(
        name, "gauge", help_text, [Sample(name, dict(lab), value) for lab, value in samples]
    ),
    st.sampled_from(["pytest_a", "pytest_b_seconds", "other:metric"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20),
    st.lists(
        st.tuples(labels, values), max_size=4, unique_by=lambda s: tuple(sorted(s[0].items()))
    ),
)


def _client_samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]


def _samples(families: list[Family]) -> list[tuple[str, dict[str, str], float]]:
    return [(s.name, dict(s.labels), s.value) for f in families for s in f.samples]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(families=st.lists(gauges, max_size=3, unique_by=lambda f: f.name))
def test_prometheus_client_reads_what_render_writes(families: list[Family]) -> None:
    text = render(families)
    assert _client_samples(text) == _samples(families)
    assert [(f.name, f.kind, f.help) for f in parse(text)] == [
        (f.name, f.kind, f.help) for f in families
    ]
    assert _samples(parse(text)) == _samples(families)


class _Collector(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> list[Metric]:
        return self.metrics


def test_parse_reads_what_prometheus_client_writes() -> None:
    counter = Metric("jobs", "Jobs done.", "counter")
    counter.add_sample("jobs_total", {"project": 'a "b"\\\n'}, 3.0)
    histogram = Metric("latency_seconds", "Latency.", "histogram")
    for le, count in (("0.5", 1.0), ("+Inf", 2.0)):
        histogram.add_sample("latency_seconds_bucket", {"le": le}, count)
    histogram.add_sample("latency_seconds_sum", {}, 0.7)
    histogram.add_sample("latency_seconds_count", {}, 2.0)
    registry = CollectorRegistry()
    registry.register(_Collector([counter, histogram]))
    families = parse(generate_latest(registry).decode())
    assert [(f.name, f.kind, len(f.samples)) for f in families] == [
        ("jobs_total", "counter", 1),
        ("latency_seconds", "histogram", 4),
    ]
    assert families[0].samples[0] == Sample("jobs_total", {"project": 'a "b"\\\n'}, 3.0)
    assert families[1].samples[1].labels == {"le": "+Inf"}


def test_samples_without_a_type_line_are_untyped_and_timestamps_are_dropped() -> None:
    families = parse('# a comment\nplain 1\nplain_total{x="1",} 2 1700000000000\n')
    assert [(f.name, f.kind) for f in families] == [
        ("plain", "untyped"),
        ("plain_total", "untyped"),
    ]
    assert families[1].samples == [Sample("plain_total", {"x": "1"}, 2.0)]


@pytest.mark.parametrize(
    "text",
    [
        'pytest_a{project="x"} one\n',
        "pytest_a{project=x} 1\n",
        'pytest_a{project="x" 1\n',
        "{} 1\n",
        "pytest_a 1 2 3\n",
        "\x00\x01binary\n",
    ],
)
def test_anything_else_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"line 1|labels|could not convert"):
        parse(text)
