"""deploy/nginx.conf.template run locally, as docker-compose's `nginx` service runs it.

The official nginx image substitutes the ${NEWSROOM_*} variables (envsubst) and includes the
site file in the http {} block of its own nginx.conf; `main_config` is that nginx.conf with
this run's own pid, logs and temporary folders, in the foreground. Used by
bench/login_guessing.py --nginx and by tests/newsroom/test_nginx.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def render(*, listen: str, upstream: str, document_root: str | Path) -> str:
    """The site file with compose's variables filled in, as the image's envsubst does."""
    values = {
        "NEWSROOM_LISTEN": str(listen),
        "NEWSROOM_UPSTREAM": upstream,
        "NEWSROOM_DOCUMENT_ROOT": str(document_root),
    }
    text = TEMPLATE.read_text()
    left = set(re.findall(r"\$\{(\w+)\}", text)) - set(values)
    if left:
        raise ValueError(f"{TEMPLATE.name} uses variables nobody sets: {sorted(left)}")
    return re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text)


def main_config(prefix: Path, site: Path) -> str:
    """The official image's /etc/nginx/nginx.conf, with this run's paths, in the foreground."""
    temp = {name: prefix / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if _is_root() else ""
    return f"""{user}daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log notice;
events {{
    worker_connections 1024;
}}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {prefix}/access.log combined buffer=64k;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


def _is_root() -> bool:
    return os.geteuid() == 0


def write_config(prefix: Path, *, listen, upstream, document_root) -> Path:
    """Write the rendered site file and the main file into `prefix`; the main file's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "newsroom.conf"
    site.write_text(render(listen=listen, upstream=upstream, document_root=document_root))
    main = prefix / "nginx.conf"
    main.write_text(main_config(prefix, site))
    return main


def check(config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the config: what compose's nginx would say of it at start."""
    return subprocess.run(
        [NGINX, "-t", "-p", str(config.parent), "-c", str(config)],
        capture_output=True,
        text=True,
    )


def available() -> bool:
    return Path(NGINX).exists() or shutil.which("nginx") is not None


class Nginx:
    """nginx in the foreground on 127.0.0.1:port in front of `upstream`, stopped on exit."""

    def __init__(self, prefix: Path, port: int, upstream: str, document_root: Path):
        self.prefix = prefix
        self.port = port
        self.config = write_config(
            prefix, listen=f"127.0.0.1:{port}", upstream=upstream, document_root=document_root
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"nginx: something already listens on port {self.port}")
        checked = check(self.config)
        if checked.returncode:
            raise RuntimeError(f"nginx -t refused {self.config}:\n{checked.stderr}")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"nginx did not listen on {self.port} in 20 s")

    def cpu_seconds(self) -> float:
        """CPU time nginx's processes (the master and its workers) have used so far."""
        if self.process is None:
            return 0.0
        pids = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # ppid
                pids.append(int(stat.parent.name))
        ticks = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish, flush the log
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
