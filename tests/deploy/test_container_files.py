"""The container definition in deploy/container, read as Docker would read it. This machine has neither a
container runtime nor a registry to pull base images from, so the image is not built here; what can be
checked without them is: every file the Dockerfile copies and the compose file mounts exists, the
services the README names are there, and each runs a command Roer has."""

from __future__ import annotations

import re

import yaml

from bench.stack import DEPLOY, ROOT

CONTAINER = DEPLOY / "container"
COMPOSE = yaml.safe_load((CONTAINER / "compose.yaml").read_text())


def test_the_dockerfile_copies_files_that_exist_and_serves_with_the_deploy_settings():
    dockerfile = (CONTAINER / "Dockerfile").read_text()
    copied = [source for line in re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE) for source in line.split()[:-1]]
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), source
    assert '"gunicorn", "-c", "deploy/gunicorn.conf.py", "roer.wsgi:application"' in dockerfile
    assert "/health/" in dockerfile  # the container's health check is Roer's liveness


def test_compose_has_the_database_the_cache_the_web_two_workers_and_nginx():
    services = COMPOSE["services"]
    assert set(services) == {"db", "redis", "web", "worker", "nginx"}
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"][-1] == "roer_worker"
    assert (ROOT / "roer" / "lifecycle" / "management" / "commands" / "roer_worker.py").exists()
    for name in ("web", "worker"):
        build = services[name]["build"]
        assert (CONTAINER / build["context"] / build["dockerfile"]).resolve() == CONTAINER / "Dockerfile"


def test_every_file_compose_mounts_is_in_the_repository():
    """Bind mounts but the certificate folder, which the operator provides (README)."""
    for service in COMPOSE["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith(".") and not source.endswith("/certs"):
                assert (CONTAINER / source).resolve().exists(), source


def test_nginx_in_compose_sends_requests_to_the_web_service():
    upstream = (CONTAINER / "roer-upstream.conf").read_text()
    assert re.search(r"^\s*server web:8000\b", upstream, re.MULTILINE)
    site = (DEPLOY / "nginx" / "roer.conf").read_text()
    assert "include /etc/nginx/roer-upstream.conf;" in site  # where compose mounts it
    assert "include /etc/nginx/roer-proxy.conf;" in site
