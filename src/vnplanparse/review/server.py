"""`review PLAN --serve`: the review page from a small server on 127.0.0.1 that saves the
reviewer's patch straight into the corrections folder.

Only this machine can connect, and only with the random token in the URL; a save must come from
the page's own origin (Host and Origin both http://127.0.0.1:PORT), so another site open in the
same browser, or a name rebound to 127.0.0.1, cannot write. The patch is checked by applying it
to the plan before it replaces the folder's file, which is written whole or not at all.
"""

from __future__ import annotations

import json
import secrets
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..output.files import write_output
from .corrections import PATCH_SUFFIX, CorrectionError, find_correction, read_patch
from .page import extraction, review_page
from .patches import apply_patches

MAX_PATCH_BYTES = 64 * 1024 * 1024


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, plan: Path, plan_json: Path | None, patches: list[Path], corrections: Path | None, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.token = secrets.token_urlsafe(24)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.corrections = corrections
        self.text, self.document = extraction(plan, plan_json)
        stored = find_correction(corrections, self.document) if corrections else None
        self.target = corrections / (self.document["source"]["sha256"] + PATCH_SUFFIX) if corrections else None
        save_url = f"/{self.token}/patch" if corrections else None
        self.page, self.problems = review_page(self.text, self.document, ([stored] if stored else []) + list(patches), save_url)

    @property
    def url(self) -> str:
        return f"{self.origin}/{self.token}/"

    def save(self, body: bytes) -> str:
        """Check the patch against the plan and write it; the file's path, or CorrectionError."""
        try:
            ops = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorrectionError(f"not JSON ({exc.__class__.__name__})") from None
        if not isinstance(ops, list):
            raise CorrectionError("not a JSON Patch (expected an array of operations)")
        problems = apply_patches(self.document, [("the page's patch", ops)], [], self.text).problems
        if problems:
            raise CorrectionError(problems[0])
        write_output(str(self.target), body.decode("utf-8"))
        return str(self.target)


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the URL carries the token: it stays out of the terminal's scrollback

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: dict) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _ours(self) -> bool:
        return self.headers.get("Host") == self.server.origin.removeprefix("http://")

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if not self._ours() or self.path != f"/{self.server.token}/":
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        self._send(200, self.server.page.encode("utf-8"), "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        if not self._ours() or self.path != f"/{self.server.token}/patch" or self.server.target is None:
            self._json(404, {"error": "not found"})
            return
        if self.headers.get("Origin") != self.server.origin:
            self._json(403, {"error": "only the review page may save"})
            return
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            self._json(415, {"error": "expected application/json"})
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_PATCH_BYTES:
            self._json(413, {"error": f"a patch of up to {MAX_PATCH_BYTES} bytes, with its Content-Length"})
            return
        try:
            self._json(200, {"saved": self.server.save(self.rfile.read(length))})
        except CorrectionError as exc:
            self._json(422, {"error": str(exc)})
        except OSError as exc:
            self._json(500, {"error": f"cannot write ({exc.__class__.__name__})"})


def serve(plan: Path, plan_json: Path | None, patches: list[Path], corrections: Path | None) -> int:
    if corrections is not None and not corrections.is_dir():
        raise CorrectionError(f"{corrections}: not a folder (--corrections names the folder the patch is saved in)")
    for path in patches:
        read_patch(path)  # an unreadable patch is refused before the server starts
    server = ReviewServer(plan, plan_json, patches, corrections)
    print(f"Review {plan} at {server.url}" + (f" (saves into {corrections})" if corrections else " (no --corrections: nothing is saved)"),
          flush=True)
    for problem in server.problems:
        print(problem, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
