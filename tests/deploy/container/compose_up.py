#!/usr/bin/env python3
"""Runs the services of docker/compose.yaml with podman the way `docker compose up` would, for a
test on a machine without Docker: images, entrypoints, commands, users, environment (with
compose's ${VAR}, ${VAR:-default} and ${VAR:?message} interpolation), named volumes and bind
mounts, health checks, stop grace periods, and the start order of `depends_on` with its
conditions (service_completed_successfully, service_healthy, service_started).

What differs, and why: there is no compose network here, so every service runs on the network
namespace of the caller (run it inside `unshare -n`: only loopback) and the service names resolve
to 127.0.0.1; a port mapping must therefore keep its number (host port = container port), which
this script checks. Images are expected built (the test builds them); `--image SERVICE=IMAGE`
replaces one (the server's image made from the test suite's binary).

    compose_up.py up COMPOSE_FILE PROJECT [--image SERVICE=IMAGE]... [--timeout SECONDS]
    compose_up.py down COMPOSE_FILE PROJECT
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import yaml

VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


def interpolate(value, environment):
    if isinstance(value, dict):
        return {k: interpolate(v, environment) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, environment) for v in value]
    if not isinstance(value, str):
        return value

    def replace(match):
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        current = environment.get(name)
        unset = current is None or (operator and operator.startswith(":") and current == "")
        if operator and operator.endswith("?") and unset:
            raise SystemExit(f"compose: {name}: {argument}")
        if operator and operator.endswith("-") and unset:
            return interpolate(argument, environment)
        return current or ""

    return VARIABLE.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


def duration_seconds(text, default):
    if text is None:
        return default
    total = 0.0
    for number, unit in re.findall(r"([\d.]+)(ms|s|m|h)", str(text)):
        total += float(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def podman(*args, check=True, capture=False):
    result = subprocess.run(["podman", *args], check=False, text=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    if check and result.returncode != 0:
        raise SystemExit(f"compose: podman {' '.join(args)}: exit {result.returncode}\n"
                         f"{result.stderr or ''}")
    return result


def container_name(project, service):
    return f"{project}-{service}"


def start_order(services):
    order, visiting = [], set()

    def visit(name):
        if name in order:
            return
        if name in visiting:
            raise SystemExit(f"compose: depends_on cycle at {name}")
        visiting.add(name)
        for dependency in dependencies(services[name]):
            visit(dependency)
        order.append(name)

    for name in services:
        visit(name)
    return order


def dependencies(service):
    depends = service.get("depends_on", {})
    if isinstance(depends, list):
        return {name: {"condition": "service_started"} for name in depends}
    return depends


def wait_for(project, name, condition, deadline):
    container = container_name(project, name)
    while time.time() < deadline:
        state = podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container,
                       capture=True).stdout.split()
        if condition == "service_completed_successfully":
            if state[0] in ("exited", "stopped"):
                if state[1] != "0":
                    raise SystemExit(f"compose: {name} exited with {state[1]}")
                return
        elif condition == "service_healthy":
            if state[0] in ("exited", "stopped"):
                raise SystemExit(f"compose: {name} stopped (exit {state[1]}) before being healthy")
            if podman("healthcheck", "run", container, check=False, capture=True).returncode == 0:
                return
        else:
            if state[0] == "running":
                return
        time.sleep(1)
    raise SystemExit(f"compose: {name} not {condition} in time")


def run_arguments(project, name, service, folder, images, service_names):
    args = ["run", "--detach", "--name", container_name(project, name)]
    for other in service_names:
        args += ["--add-host", f"{other}:127.0.0.1"]
    if "user" in service:
        args += ["--user", str(service["user"])]
    if "entrypoint" in service:
        entrypoint = service["entrypoint"]
        if isinstance(entrypoint, list):
            args += ["--entrypoint", json.dumps(entrypoint)]
        else:
            args += ["--entrypoint", entrypoint]
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    for key, value in environment.items():
        args += ["--env", f"{key}={'' if value is None else value}"]
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        if source.startswith((".", "/")):
            source = os.path.normpath(os.path.join(folder, source))
            if not os.path.exists(source):
                os.makedirs(source)  # as Docker does for a bind mount's missing source
        else:
            source = f"{project}_{source}"
        args += ["--volume", ":".join([source, target, *mode])]
    for port in service.get("ports", []):
        mapping = str(port).split("/")[0]
        host, _, inside = mapping.rpartition(":")
        if host and host.split(":")[-1] != inside:
            raise SystemExit(f"compose: {name}: port {port} changes its number, which the host "
                             "network of this test cannot reproduce")
    health = service.get("healthcheck")
    if health:
        test = health["test"]
        if isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL"):
            command = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", " ".join(test[1:])]
            args += ["--health-cmd", json.dumps(command)]
        args += ["--health-interval", health.get("interval", "30s"),
                 "--health-timeout", health.get("timeout", "30s"),
                 "--health-retries", str(health.get("retries", 3)),
                 "--health-start-period", health.get("start_period", "0s")]
    grace = duration_seconds(service.get("stop_grace_period"), 10)
    args += ["--stop-timeout", str(int(grace))]
    args.append(images.get(name) or service["image"])
    command = service.get("command")
    if command:
        args += command if isinstance(command, list) else command.split()
    return args


def load(compose_file):
    with open(compose_file, encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    return interpolate(document, dict(os.environ))


def up(compose_file, project, images, timeout):
    document = load(compose_file)
    services = document["services"]
    folder = os.path.dirname(os.path.abspath(compose_file))
    for volume in document.get("volumes", {}):
        podman("volume", "create", f"{project}_{volume}", capture=True)
    deadline = time.time() + timeout
    for name in start_order(services):
        for dependency, spec in dependencies(services[name]).items():
            wait_for(project, dependency, spec.get("condition", "service_started"), deadline)
        print(f"compose: starting {name}", flush=True)
        podman(*run_arguments(project, name, services[name], folder, images, list(services)),
               capture=True)


def down(compose_file, project):
    document = load(compose_file)
    for name in reversed(start_order(document["services"])):
        podman("rm", "--force", "--time", "5", container_name(project, name), check=False,
               capture=True)
    for volume in document.get("volumes", {}):
        podman("volume", "rm", "--force", f"{project}_{volume}", check=False, capture=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("compose_file")
    parser.add_argument("project")
    parser.add_argument("--image", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=300)
    options = parser.parse_args()
    if options.action == "up":
        images = dict(item.split("=", 1) for item in options.image)
        up(options.compose_file, options.project, images, options.timeout)
    else:
        down(options.compose_file, options.project)


if __name__ == "__main__":
    sys.exit(main())
