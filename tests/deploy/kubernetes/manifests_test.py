#!/usr/bin/env python3
"""deploy/kubernetes/: every manifest parses, kustomization.yaml applies them all, and the
deployment holds what an operator relies on (no cluster here, so this reads the manifests the way
the API server and the kubelet would use them):
media reaching the node directly with the node's address in public_addr, HTTPS through a Service
and an Ingress, probes on the admin port, a disruption budget, a grace period that covers the
drain, the TLS pair and TURN secret from Secrets that ship no value, PostgreSQL through
CloudNativePG with several instances, and a container that cannot gain privileges.

    python3 tests/deploy/kubernetes/manifests_test.py [deploy/kubernetes]
"""
import os
import re
import sys
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFESTS = os.path.abspath(os.path.join(HERE, "..", "..", "..", "deploy", "kubernetes"))
# CONTRACT.md "Several nodes": drain_seconds defaults to 30; server/app Config
# shutdown_grace_seconds defaults to 8 (requests in flight after the drain).
DEFAULT_DRAIN_SECONDS = 30
DEFAULT_SHUTDOWN_GRACE_SECONDS = 8
WORKLOAD_KINDS = {"Deployment", "DaemonSet", "StatefulSet"}


def load_documents(folder):
    documents = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), encoding="utf-8") as stream:
                documents[name] = [doc for doc in yaml.safe_load_all(stream) if doc is not None]
    return documents


def env_of(container):
    return {item["name"]: item for item in container.get("env", [])}


def resolve(env, name, seen=()):
    """The value of an env variable as the kubelet builds it: a literal with $(OTHER) references
    expanded, or ('fieldRef', path) / ('secretKeyRef', secret, key) when it comes from elsewhere."""
    item = env.get(name)
    if item is None:
        return None
    if "valueFrom" in item:
        source = item["valueFrom"]
        if "fieldRef" in source:
            return ("fieldRef", source["fieldRef"]["fieldPath"])
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            return ("secretKeyRef", ref["name"], ref["key"])
        return ("other",)
    value = str(item.get("value", ""))
    whole = re.fullmatch(r"\$\((\w+)\)", value)
    if whole and whole.group(1) not in seen:
        return resolve(env, whole.group(1), seen + (name,))
    return value


def port_of(address):
    return int(str(address).rsplit(":", 1)[1])


class KubernetesManifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.files = load_documents(MANIFESTS)
        cls.objects = [doc for docs in cls.files.values() for doc in docs
                       if doc.get("kind") != "Kustomization"]
        workloads = [o for o in cls.objects if o.get("kind") in WORKLOAD_KINDS and any(
            "visioguichet" in c.get("image", "") for c in o["spec"]["template"]["spec"]["containers"])]
        if len(workloads) != 1:
            raise AssertionError(f"expected one server workload, found {len(workloads)}")
        cls.workload = workloads[0]
        cls.pod = cls.workload["spec"]["template"]
        cls.container = next(c for c in cls.pod["spec"]["containers"]
                             if "visioguichet" in c.get("image", ""))
        cls.env = env_of(cls.container)

    def of_kind(self, kind):
        return [o for o in self.objects if o.get("kind") == kind]

    def named_port(self, name_or_number):
        for port in self.container.get("ports", []):
            if name_or_number in (port.get("name"), port.get("containerPort")):
                return port
        self.fail(f"the server container has no port {name_or_number!r}")

    def test_every_manifest_is_an_object_kustomization_applies(self):
        self.assertTrue(self.files, f"no manifest in {MANIFESTS}")
        for name, docs in self.files.items():
            for doc in docs:
                for field in ("apiVersion", "kind"):
                    self.assertIn(field, doc, f"{name}: a document without {field}")
                if doc["kind"] != "Kustomization":
                    self.assertTrue(doc.get("metadata", {}).get("name"), f"{name}: no name")
        kustomization = self.files["kustomization.yaml"][0]
        listed = set(kustomization["resources"])
        self.assertEqual(listed, set(self.files) - {"kustomization.yaml"},
                         "kustomization.yaml must list every manifest of the folder")

    def test_media_port_reaches_the_node_with_its_address_in_public_addr(self):
        rtc_port = port_of(resolve(self.env, "VISIOGUICHET_RTC_ADDR"))
        protocols = {p.get("protocol", "TCP") for p in self.container["ports"]
                     if p["containerPort"] == rtc_port}
        self.assertEqual(protocols, {"UDP", "TCP"}, "the media port must be declared UDP and TCP")
        on_host = self.pod["spec"].get("hostNetwork") is True or all(
            p.get("hostPort") == rtc_port for p in self.container["ports"]
            if p["containerPort"] == rtc_port)
        self.assertTrue(on_host, "media must reach the node directly (hostNetwork or hostPort)")
        self.assertEqual(resolve(self.env, "VISIOGUICHET_PUBLIC_ADDR"), ("fieldRef", "status.hostIP"),
                         "public_addr must be the node's address, from the downward API")
        if self.pod["spec"].get("hostNetwork"):
            self.assertEqual(self.pod["spec"].get("dnsPolicy"), "ClusterFirstWithHostNet",
                             "a host-network pod needs ClusterFirstWithHostNet to resolve Services")

    def test_https_goes_through_a_service_and_an_ingress_to_the_tls_port(self):
        https_port = port_of(resolve(self.env, "VISIOGUICHET_HTTP_ADDR"))
        labels = self.pod["metadata"]["labels"]
        services = [s for s in self.of_kind("Service")
                    if s["spec"].get("selector") and
                    all(labels.get(k) == v for k, v in s["spec"]["selector"].items())]
        self.assertEqual(len(services), 1, "one Service must select the server's pods")
        service = services[0]
        service_ports = service["spec"]["ports"]
        for port in service_ports:
            target = self.named_port(port.get("targetPort", port["port"]))
            self.assertEqual(target["containerPort"], https_port,
                             "the Service must lead to the HTTPS listener (http_addr)")
        ingresses = self.of_kind("Ingress")
        self.assertEqual(len(ingresses), 1)
        backends = [path["backend"]["service"] for rule in ingresses[0]["spec"]["rules"]
                    for path in rule["http"]["paths"]]
        self.assertTrue(backends)
        for backend in backends:
            self.assertEqual(backend["name"], service["metadata"]["name"])
            self.assertIn(backend["port"].get("name", backend["port"].get("number")),
                          [p.get("name") for p in service_ports] + [p["port"] for p in service_ports])
        annotations = ingresses[0]["metadata"].get("annotations", {})
        self.assertTrue(annotations.get("nginx.ingress.kubernetes.io/ssl-passthrough") == "true" or
                        ingresses[0]["spec"].get("tls"),
                        "the Ingress must pass TLS through to the server or terminate it itself")

    def test_probes_use_the_admin_port_not_the_public_one(self):
        admin = resolve(self.env, "VISIOGUICHET_ADMIN_ADDR")
        self.assertIsNotNone(admin, "admin_addr must be set so the kubelet can reach it")
        admin_port = port_of(admin)
        expected = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
        for probe_name, path in expected.items():
            probe = self.container.get(probe_name)
            self.assertIsNotNone(probe, f"no {probe_name}")
            self.assertEqual(probe["httpGet"]["path"], path)
            self.assertEqual(self.named_port(probe["httpGet"]["port"])["containerPort"], admin_port,
                             f"{probe_name} must use the admin port")
        host = str(admin).rsplit(":", 1)[0]
        if self.pod["spec"].get("hostNetwork"):
            # On the host's network 0.0.0.0 would open /metrics on every interface of the node.
            self.assertEqual(host, "$(VG_HOST_IP)", "admin_addr must be the node's own address")

    def test_a_disruption_budget_covers_the_server(self):
        labels = self.pod["metadata"]["labels"]
        budgets = [b for b in self.of_kind("PodDisruptionBudget")
                   if all(labels.get(k) == v
                          for k, v in b["spec"]["selector"]["matchLabels"].items())]
        self.assertEqual(len(budgets), 1, "one PodDisruptionBudget must select the server's pods")
        spec = budgets[0]["spec"]
        self.assertTrue(spec.get("maxUnavailable") == 1 or "minAvailable" in spec)

    def test_grace_period_covers_the_drain(self):
        drain = DEFAULT_DRAIN_SECONDS
        if "VISIOGUICHET_DRAIN_SECONDS" in self.env:
            drain = int(resolve(self.env, "VISIOGUICHET_DRAIN_SECONDS"))
        grace = self.pod["spec"].get("terminationGracePeriodSeconds", 30)
        self.assertGreater(grace, drain + DEFAULT_SHUTDOWN_GRACE_SECONDS,
                           "SIGKILL would cut the drain: terminationGracePeriodSeconds too short")

    def test_tls_pair_and_turn_secret_come_from_secrets_that_ship_no_value(self):
        secrets = {s["metadata"]["name"]: s for s in self.of_kind("Secret")}
        for secret in secrets.values():
            values = list(secret.get("stringData", {}).values()) + list(secret.get("data", {}).values())
            self.assertTrue(all(v in ("", None) for v in values),
                            f"Secret {secret['metadata']['name']} ships a value: a default secret")
        cert_dir = os.path.dirname(resolve(self.env, "VISIOGUICHET_TLS_CERT_FILE"))
        self.assertEqual(cert_dir, os.path.dirname(resolve(self.env, "VISIOGUICHET_TLS_KEY_FILE")))
        mount = next((m for m in self.container.get("volumeMounts", [])
                      if m["mountPath"] == cert_dir), None)
        self.assertIsNotNone(mount, f"nothing mounted at {cert_dir}")
        volume = next(v for v in self.pod["spec"]["volumes"] if v["name"] == mount["name"])
        tls = secrets.get(volume["secret"]["secretName"])
        self.assertIsNotNone(tls, "the TLS volume must be one of the Secrets of the folder")
        self.assertEqual(tls["type"], "kubernetes.io/tls")
        turn = resolve(self.env, "VISIOGUICHET_TURN_SECRET")
        self.assertEqual(turn[0], "secretKeyRef", "the TURN secret must come from a Secret")
        self.assertIn(turn[2], secrets[turn[1]].get("stringData", {}))

    def test_postgresql_is_a_cloudnativepg_cluster_with_standbys(self):
        clusters = [o for o in self.objects if o.get("kind") == "Cluster"
                    and o["apiVersion"].startswith("postgresql.cnpg.io/")]
        self.assertEqual(len(clusters), 1, "PostgreSQL through CloudNativePG's Cluster")
        cluster = clusters[0]
        self.assertGreaterEqual(cluster["spec"]["instances"], 2, "HA needs a standby")
        for workload in self.objects:
            if workload.get("kind") in WORKLOAD_KINDS and workload is not self.workload:
                images = [c.get("image", "") for c in workload["spec"]["template"]["spec"]["containers"]]
                self.assertFalse(any("postgres" in image for image in images),
                                 "no home-made PostgreSQL workload beside the operator's")
        self.assertEqual(resolve(self.env, "VISIOGUICHET_DATABASE_URL"),
                         ("secretKeyRef", cluster["metadata"]["name"] + "-app", "uri"),
                         "database_url must be the operator's application URI")

    def test_the_container_cannot_gain_privileges(self):
        pod_context = self.pod["spec"].get("securityContext", {})
        context = self.container.get("securityContext", {})
        self.assertTrue(pod_context.get("runAsNonRoot") or context.get("runAsNonRoot"))
        self.assertIs(context.get("allowPrivilegeEscalation"), False)
        self.assertIn("ALL", context.get("capabilities", {}).get("drop", []))
        self.assertIs(context.get("privileged", False), False)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        MANIFESTS = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
