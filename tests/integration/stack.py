"""A real nginx and tc-search on a free loopback port, for one content
folder: tc-gen builds the site and the index into a temporary folder and
deploy/serve.sh serves them. stop() ends everything, also after a failed
test."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))


class Stack:
    def __init__(self, content, workers=1):
        self.tmp = tempfile.mkdtemp(prefix="tc-stack-")
        self.out = os.path.join(self.tmp, "public")
        self.index = os.path.join(self.tmp, "tc-index.sqlite")
        self.proc = None
        self.log = open(os.path.join(self.tmp, "serve.log"), "w+")
        subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                        os.path.join(ROOT, "templates"), "--output", self.out,
                        "--index", self.index], check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = "http://127.0.0.1:%d" % port
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, "deploy", "serve.sh"), "--port", str(port), "--root", self.out,
             "--index", self.index, "--bin", BIN, "--workers", str(workers)],
            stdout=subprocess.PIPE, stderr=self.log, text=True, start_new_session=True)
        line = self.proc.stdout.readline()
        if "serving" not in line:
            self.stop()
            raise RuntimeError("serve.sh did not start: " + line)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def get(self, path, accept=None):
        """(status, headers, body text) of a GET; errors are answers too."""
        req = urllib.request.Request(self.base + path,
                                     headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8-sig")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8-sig")
