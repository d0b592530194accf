#!/usr/bin/env python3
"""deploy/grafana-dashboard.json: a dashboard Grafana imports (valid JSON, unique panel ids,
panels that do not overlap, a Prometheus data source variable), with the rows an operator looks
for (calls, call quality, queues, API), whose every query names only metrics the server exports:
each vg_* or process_* name must be registered in server/ (a histogram's _bucket, _sum and _count
series come with its name).

    python3 tests/deploy/grafana/dashboard_test.py [dashboard.json [server/]]
"""
import json
import os
import re
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DASHBOARD = os.path.join(ROOT, "deploy", "grafana-dashboard.json")
SERVER = os.path.join(ROOT, "server")
METRIC = re.compile(r"\b((?:vg|process)_[a-z0-9_]+)")


def server_metric_names(folder):
    names = set()
    for directory, _, files in os.walk(folder):
        for name in files:
            if name.endswith((".cpp", ".hpp")):
                with open(os.path.join(directory, name), encoding="utf-8") as source:
                    names.update(re.findall(r'"((?:vg|process)_[a-z0-9_]+)', source.read()))
    return names


class GrafanaDashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(DASHBOARD, encoding="utf-8") as stream:
            cls.dashboard = json.load(stream)
        cls.panels = [p for p in cls.dashboard["panels"] if p["type"] != "row"]
        cls.rows = [p["title"] for p in cls.dashboard["panels"] if p["type"] == "row"]

    def test_rows_an_operator_looks_for(self):
        for title in ("Calls", "Call quality", "Queues", "API"):
            self.assertIn(title, self.rows)

    def test_panels_have_unique_ids_and_do_not_overlap(self):
        ids = [p["id"] for p in self.dashboard["panels"]]
        self.assertEqual(len(ids), len(set(ids)), "panel ids must be unique")
        taken = set()
        for panel in self.dashboard["panels"]:
            grid = panel["gridPos"]
            self.assertLessEqual(grid["x"] + grid["w"], 24, panel["title"])
            cells = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                     for y in range(grid["y"], grid["y"] + grid["h"])}
            self.assertFalse(cells & taken, f"panel {panel['title']!r} overlaps another")
            taken |= cells

    def test_queries_use_the_prometheus_variable(self):
        variables = {v["name"]: v for v in self.dashboard["templating"]["list"]}
        self.assertEqual(variables["datasource"]["type"], "datasource")
        self.assertEqual(variables["datasource"]["query"], "prometheus")
        for panel in self.panels:
            self.assertTrue(panel["targets"], f"panel {panel['title']!r} has no query")
            self.assertEqual(panel["datasource"]["uid"], "${datasource}")

    def test_every_metric_is_one_the_server_exports(self):
        exported = server_metric_names(SERVER)
        self.assertIn("vg_http_requests_total", exported, "reading server/ failed")
        used = set()
        for panel in self.panels:
            for target in panel["targets"]:
                used.update(METRIC.findall(target["expr"]))
        for variable in self.dashboard["templating"]["list"]:
            query = variable.get("query")
            if isinstance(query, dict):
                used.update(METRIC.findall(query.get("query", "")))
        self.assertTrue(used)
        for name in sorted(used):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            self.assertTrue(name in exported or base in exported,
                            f"the dashboard queries {name}, which the server does not export")

    def test_brackets_of_every_query_balance(self):
        for panel in self.panels:
            for target in panel["targets"]:
                expr = target["expr"]
                for opening, closing in ("()", "{}", "[]"):
                    self.assertEqual(expr.count(opening), expr.count(closing),
                                     f"{panel['title']!r}: unbalanced {opening}{closing} in {expr}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        DASHBOARD = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1:
        SERVER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
