#!/usr/bin/env python3
"""deploy/coturn.conf with Debian's coturn, run inside a network namespace that has only loopback
(tests/deploy/CMakeLists.txt starts it under `unshare -n`):
- the file holds no secret, and coturn started from it alone refuses every allocation;
- with the secret added (as an operator or docker/coturn/entrypoint.sh does), a TURN REST
  credential (the server's scheme) gets an allocation, over UDP and over TLS (turns:);
- a relay permission toward loopback, private, link-local (cloud metadata) or unique-local
  addresses is refused (403), toward a public address it is granted. A permission sends nothing
  to the peer: no packet leaves the namespace.
Only the ports and file paths are changed from the file as shipped.
"""
import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
CONF = os.path.join(ROOT, "deploy", "coturn.conf")
MAGIC = 0x2112A442
ALLOCATE, CREATE_PERMISSION = 0x0003, 0x0008
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, REALM, NONCE = 0x0006, 0x0008, 0x0009, 0x0014, 0x0015
REQUESTED_TRANSPORT, XOR_PEER_ADDRESS, XOR_RELAYED_ADDRESS = 0x0019, 0x0012, 0x0016


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def attribute(kind, value):
    padding = b"\0" * ((4 - len(value) % 4) % 4)
    return struct.pack("!HH", kind, len(value)) + value + padding


def xor_address(address):
    packed = socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)
    family = 2 if len(packed) == 16 else 1
    mask = struct.pack("!I", MAGIC) + b"\0" * 12
    xored = bytes(a ^ b for a, b in zip(packed, mask))
    return struct.pack("!BBH", 0, family, 5000 ^ (MAGIC >> 16)) + xored


def parse(message):
    kind, length = struct.unpack("!HH", message[:4])
    attributes, offset = {}, 20
    while offset < 20 + length:
        name, size = struct.unpack("!HH", message[offset:offset + 4])
        attributes[name] = message[offset + 4:offset + 4 + size]
        offset += 4 + size + (4 - size % 4) % 4
    error = None
    if ERROR_CODE in attributes:
        value = attributes[ERROR_CODE]
        error = value[2] * 100 + value[3]
    return kind, attributes, error


class TurnClient:
    """Just enough of STUN/TURN (RFC 5389, 5766) for long-term credentials."""

    def __init__(self, transport, username, password):
        self.transport, self.username, self.password = transport, username, password
        self.realm = self.nonce = None

    def request(self, method, attributes=b""):
        for _ in range(2):
            body = attributes
            if self.nonce:
                body += attribute(USERNAME, self.username.encode())
                body += attribute(REALM, self.realm) + attribute(NONCE, self.nonce)
            transaction = secrets.token_bytes(12)
            if self.nonce:
                key = hashlib.md5(b"%s:%s:%s" % (self.username.encode(), self.realm,
                                                  self.password.encode())).digest()
                header = struct.pack("!HHI", method, len(body) + 24, MAGIC) + transaction
                mac = hmac.new(key, header + body, hashlib.sha1).digest()
                body += attribute(MESSAGE_INTEGRITY, mac)
            message = struct.pack("!HHI", method, len(body), MAGIC) + transaction + body
            kind, answer, error = parse(self.transport(message))
            if error in (401, 438) and NONCE in answer:
                self.realm, self.nonce = answer[REALM], answer[NONCE]
                continue
            return kind, answer, error
        return kind, answer, error


def udp_transport(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(3)

    def exchange(message):
        sock.sendto(message, ("127.0.0.1", port))
        return sock.recv(4096)
    return exchange


def tls_transport(port, ca_file):
    context = ssl.create_default_context(cafile=ca_file)
    context.check_hostname = False  # a certificate for 127.0.0.1 made by the test
    connection = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=3))

    def read(size):
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError("coturn closed the TLS connection")
            data += chunk
        return data

    def exchange(message):
        connection.sendall(message)
        header = read(20)
        return header + read(struct.unpack("!H", header[2:4])[0])
    return exchange


def rest_credential(secret):
    username = f"{int(time.time()) + 600}:test-session:booth"
    password = base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest())
    return username, password.decode()


class Coturn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="visioguichet-coturn-test.")
        cls.secret = secrets.token_hex(32)
        cls.cert, key = os.path.join(cls.work, "cert.pem"), os.path.join(cls.work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-keyout", key, "-out", cls.cert],
                       check=True, capture_output=True)
        cls.udp, cls.tls = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
        with open(CONF, encoding="utf-8") as source:
            shipped = source.read()
        cls.shipped = shipped
        # Only ports and paths change; the log goes to a file of the test, not to syslog.
        moved = {"listening-port": cls.udp, "tls-listening-port": cls.tls, "cert": cls.cert,
                 "pkey": key, "min-port": 61000, "max-port": 61100}
        lines = []
        for line in shipped.splitlines():
            name = line.split("=", 1)[0].strip()
            if name in moved:
                line = f"{name}={moved.pop(name)}"
            elif name == "syslog":
                line = f"log-file={os.path.join(cls.work, 'turn.log')}"
            lines.append(line)
        cls.without_secret = os.path.join(cls.work, "without-secret.conf")
        with open(cls.without_secret, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        cls.with_secret = os.path.join(cls.work, "with-secret.conf")
        with open(cls.with_secret, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + f"\nstatic-auth-secret={cls.secret}\n")
        cls.turn = None

    @classmethod
    def tearDownClass(cls):
        cls.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def start(cls, conf):
        cls.stop()
        cls.turn = subprocess.Popen(
            ["turnserver", "-c", conf, "--pidfile", os.path.join(cls.work, "turn.pid"),
             "--userdb", os.path.join(cls.work, "turndb"), "--listening-ip", "127.0.0.1",
             "--relay-ip", "127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Ready when a STUN binding request on UDP is answered and the TLS port accepts.
        binding = struct.pack("!HHI", 0x0001, 0, MAGIC) + secrets.token_bytes(12)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                    probe.settimeout(0.2)
                    probe.sendto(binding, ("127.0.0.1", cls.udp))
                    probe.recv(4096)
                with socket.create_connection(("127.0.0.1", cls.tls), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("coturn did not answer on its UDP and TLS ports within 10 s")

    @classmethod
    def stop(cls):
        if cls.turn:
            cls.turn.terminate()
            cls.turn.wait(10)
            cls.turn = None

    def allocate(self, client):
        return client.request(ALLOCATE, attribute(REQUESTED_TRANSPORT, b"\x11\0\0\0"))

    def test_1_the_file_holds_no_secret_and_alone_allows_nothing(self):
        self.assertIsNone(re.search(r"^\s*static-auth-secret\s*=", self.shipped, re.M),
                          "deploy/coturn.conf must not ship a secret")
        self.assertRegex(self.shipped, r"(?m)^use-auth-secret$")
        self.start(self.without_secret)
        client = TurnClient(udp_transport(self.udp), *rest_credential("guessed-default"))
        _, _, error = self.allocate(client)
        self.assertEqual(error, 401, "an allocation without the operator's secret must be refused")

    def test_2_allocations_over_udp_and_tls_with_the_servers_credentials(self):
        self.start(self.with_secret)
        for transport in (udp_transport(self.udp), tls_transport(self.tls, self.cert)):
            client = TurnClient(transport, *rest_credential(self.secret))
            kind, answer, error = self.allocate(client)
            self.assertIsNone(error, f"allocation refused with {error}")
            self.assertEqual(kind, 0x0103)
            self.assertIn(XOR_RELAYED_ADDRESS, answer)
        wrong = TurnClient(udp_transport(self.udp), *rest_credential("another-secret"))
        self.assertEqual(self.allocate(wrong)[2], 401)

    def test_3_relaying_toward_the_relays_neighbourhood_is_refused(self):
        self.start(self.with_secret)
        client = TurnClient(udp_transport(self.udp), *rest_credential(self.secret))
        self.assertIsNone(self.allocate(client)[2])
        refused = ["127.0.0.1", "10.1.2.3", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                   "100.64.0.1", "0.0.0.0"]
        for peer in refused:
            _, _, error = client.request(CREATE_PERMISSION, attribute(XOR_PEER_ADDRESS,
                                                                      xor_address(peer)))
            self.assertEqual(error, 403, f"a permission toward {peer} must be refused")
        _, _, error = client.request(CREATE_PERMISSION, attribute(XOR_PEER_ADDRESS,
                                                                  xor_address("8.8.8.8")))
        self.assertIsNone(error, "a permission toward a public address must be granted")


if __name__ == "__main__":
    unittest.main(verbosity=2)
