#!/usr/bin/env python3
"""`make serve` (deploy/serve.sh) on a port another program holds: it says so
and fails, never "serving" with that program's answers (issue 24); and
`make serve` installs what building and serving need, not the tests' tools.

Run from the repository root: python3 tests/integration/test_serve.py
"""
import http.server
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))
TAKEN = "is taken by another program"


class Other(http.server.BaseHTTPRequestHandler):
    """Another program on the port: it answers every request with 200."""

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"not tc")

    def log_message(self, *args):
        pass


class Serve(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tc-serve-test-")
        cls.out = os.path.join(cls.tmp, "public")
        cls.index = os.path.join(cls.tmp, "tc-index.sqlite")
        subprocess.run([os.path.join(BIN, "tc-gen"), "--content",
                        os.path.join(ROOT, "tests", "fixtures", "mini"), "--templates",
                        os.path.join(ROOT, "templates"), "--output", cls.out, "--index", cls.index],
                       check=True, stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def serve(self, port):
        runs = os.path.join(self.tmp, "runs")
        os.makedirs(runs, exist_ok=True)
        proc = subprocess.Popen([os.path.join(ROOT, "deploy", "serve.sh"), "--port", str(port),
                                 "--root", self.out, "--index", self.index, "--bin", BIN],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, env=dict(os.environ, TMPDIR=runs))
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            out, err = proc.communicate(timeout=20)
        return proc.returncode, out, err, os.listdir(runs)

    def test_port_taken_by_a_web_server(self):
        server = http.server.HTTPServer(("127.0.0.1", 0), Other)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            rc, out, err, left = self.serve(server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(rc, 1, out + err)
        self.assertNotIn("serving", out)
        self.assertIn("port %d on 127.0.0.1 %s" % (server.server_address[1], TAKEN), err)
        self.assertIn("PORT=", err)
        self.assertEqual(left, [], "the run folder is removed")

    def test_port_taken_by_a_silent_listener(self):
        # a program that accepts and never answers: still refused
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(16)
            rc, out, err, left = self.serve(s.getsockname()[1])
        self.assertEqual(rc, 1, out + err)
        self.assertNotIn("serving", out)
        self.assertIn(TAKEN, err)
        self.assertEqual(left, [])

    def test_make_serve_installs_only_what_serving_needs(self):
        def recipe(target):
            return subprocess.run(["make", "-n", "-C", ROOT, target, "BUILD=" + BIN], check=True,
                                  capture_output=True, text=True).stdout
        serve, check = recipe("serve"), recipe("check")
        for pkg in ["nginx-light", "libcmark-gfm-dev", "libcairo2-dev"]:
            self.assertIn(" %s " % pkg, serve)
        for pkg in ["chromium", "trang", "python3-hypothesis", "valgrind", "libcmocka-dev", "poppler-utils"]:
            self.assertNotIn(" %s " % pkg, serve, pkg)
            self.assertIn(" %s " % pkg, check, pkg)
        self.assertNotIn("npm", serve)


if __name__ == "__main__":
    unittest.main()
