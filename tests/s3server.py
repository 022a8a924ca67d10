"""A real S3-compatible server for the tests: moto's standalone server (`moto_server`, from the
dev dependencies), started on a loopback port and stopped by the test class that started it.

The port is the first free one from NEWSROOM_S3_TEST_PORT (default 8645) up to 8649."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

MOTO_MISSING = (
    None
    if importlib.util.find_spec("moto") and importlib.util.find_spec("flask")
    else "moto's standalone server is not installed (pip install -e '.[dev]' brings moto[s3], "
    "flask and flask-cors)"
)
ACCESS_KEY = "newsroom-test"
SECRET_KEY = "newsroom-test-secret"
REGION = "us-east-1"


def _free_port() -> int:
    first = int(os.environ.get("NEWSROOM_S3_TEST_PORT", "8645"))
    for port in range(first, max(first, 8649) + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {first} to 8649 for moto_server")


class MotoServer:
    def __init__(self):
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        moto_server = Path(sys.executable).with_name("moto_server")
        command = (
            [str(moto_server)] if moto_server.exists() else [sys.executable, "-m", "moto.server"]
        )
        self.process = subprocess.Popen(
            [*command, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=1).close()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on {self.endpoint} in 30 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def storages(self, bucket: str) -> dict:
        """STORAGES as settings.py makes them for MEDIA_STORAGE=s3 against this server."""
        return {
            "default": {
                "BACKEND": "newsroom.storage.MediaS3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": self.endpoint,
                    "region_name": REGION,
                    "access_key": ACCESS_KEY,
                    "secret_key": SECRET_KEY,
                    "addressing_style": "path",
                    "object_acls": True,
                },
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


def anonymous_get(url: str):
    """GET `url` as a reader's browser would (no credentials): the status, the headers (names
    in any case) and the body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
