"""The monitoring that `apytest monitoring init` writes into a project: the Prometheus
configuration and targets, alert and recording rules with their promtool tests, the Grafana
dashboard (package data), and `scaffold.py`, which writes them. It imports only `common/`.
"""
