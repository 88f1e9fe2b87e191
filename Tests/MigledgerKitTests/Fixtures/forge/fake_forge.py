#!/usr/bin/env python3
"""A fake GitHub, GitLab or Gitea for migledger's review tests.

It answers the calls `migledger review` makes, keeps what is posted in memory, and checks every
request against the forge's API description (method and path template, query parameters,
headers, JSON body against the operation's request schema). A request that does not match gets
a 400 and a recorded violation. Faults can be scripted per scenario. Control endpoints (no auth):

  GET  /_control/state    requests, violations and posted state
  POST /_control/pr       {"number", "head", "base", "repo"}: the pull request and the git
                          repository the forge computes its diff from
  POST /_control/script   [{"method", "path", "times", "action": "status|reset|hang",
                            "status", "headers", "body"}]: faults for matching requests

Prints the port it listens on (127.0.0.1, port chosen by the system) and exits on its own after
--lifetime seconds.
"""
import argparse
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema

AUTH_HEADERS = {"authorization", "private-token", "job-token"}


def load_operations(spec, base_path):
    """(method, compiled path regex, template, operation, parameters) for every operation."""
    operations = []
    for template, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            pattern = re.escape(base_path + template)
            pattern = re.sub(r"\\\{([a-z_]+)\\\}", r"(?P<\1>[^/]+)", pattern)
            parameters = [deref(spec, p) for p in shared + operation.get("parameters", [])]
            operations.append((method.upper(), re.compile("^" + pattern + "$"), template, operation, parameters))
    return operations


def deref(spec, node, depth=0):
    """`node` with every local $ref replaced by its target."""
    if depth > 40:
        return {}
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return deref(spec, target, depth + 1)
        return {key: deref(spec, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [deref(spec, value, depth + 1) for value in node]
    return node


def strict_schema(schema):
    """OpenAPI 3.0 / Swagger 2.0 schema as JSON Schema: `nullable` becomes a null type, and
    objects that list their properties accept no others (catches misspelt fields)."""
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: strict_schema(value) for key, value in schema.items()
              if not key.startswith("x-") and key not in ("example", "examples")}
    if result.pop("nullable", False) and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    if "properties" in result and "additionalProperties" not in result:
        result["additionalProperties"] = False
    return result


class Forge:
    def __init__(self, flavour, spec, token, page_size):
        self.flavour = flavour
        self.spec = spec
        self.token = token
        self.page_size = page_size
        base = {"github": "", "gitea": spec.get("basePath", ""), "gitlab": "/api/v4"}[flavour]
        self.operations = load_operations(spec, base)
        self.lock = threading.Lock()
        self.requests = []
        self.violations = []
        self.faults = []
        self.pr = {"number": 1, "head": "0" * 40, "base": "0" * 40, "repo": None}
        self.next_id = 1000
        self.reviews = []
        self.review_comments = []
        self.comments = []
        self.statuses = []
        self.discussions = []

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def state(self):
        return {"requests": self.requests, "violations": self.violations, "reviews": self.reviews,
                "review_comments": self.review_comments, "comments": self.comments,
                "statuses": self.statuses, "discussions": self.discussions}

    def diff_lines(self):
        """New-side lines each file's diff shows (added and context), as the forge computes it."""
        if not self.pr.get("repo"):
            return None
        text = subprocess.run(["git", "-C", self.pr["repo"], "diff", "-U3", "--no-color", "-M",
                               self.pr["base"] + "..." + self.pr["head"]],
                              capture_output=True, text=True, check=True).stdout
        files, current = {}, None
        for line in text.splitlines():
            if line.startswith("+++ "):
                current = None if line == "+++ /dev/null" else line[6:]
                if current is not None:
                    files.setdefault(current, set())
            match = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", line)
            if match and current is not None:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                files[current].update(range(start, start + count))
        return files


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    forge = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_PATCH(self):
        self.handle_request("PATCH")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def reply(self, status, payload=None, headers=None):
        body = json.dumps(payload if payload is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def handle_request(self, method):
        forge = self.forge
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/_control/"):
            return self.control(method, url.path, raw)
        with forge.lock:
            forge.requests.append({"method": method, "path": self.path, "headers": dict(self.headers.items()),
                                   "body": raw.decode("utf-8", "replace")})
        problems, operation, params = self.validate(method, url, raw)
        if problems:
            with forge.lock:
                forge.violations.extend(f"{method} {url.path}: {p}" for p in problems)
            return self.reply(400, {"message": "request does not match the API description: " + "; ".join(problems)})
        if not self.authorized():
            return self.reply(401, {"message": "Bad credentials"})
        fault = self.take_fault(method, url.path)
        if fault:
            action = fault.get("action", "status")
            if action == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                self.wfile = open(os.devnull, "wb")
                return
            if action == "hang":
                time.sleep(fault.get("seconds", 60))
                self.close_connection = True
                return
            return self.reply(fault["status"], fault.get("body", {"message": "scripted failure"}), fault.get("headers"))
        body = json.loads(raw) if raw else None
        query = urllib.parse.parse_qs(url.query)
        with forge.lock:
            status, payload, headers = getattr(self, "serve_" + forge.flavour)(method, operation, params, query, body)
        self.reply(status, payload, headers)

    def authorized(self):
        forge = self.forge
        if forge.flavour == "github":
            return self.headers.get("Authorization") in ("Bearer " + forge.token, "token " + forge.token)
        if forge.flavour == "gitea":
            return self.headers.get("Authorization") == "token " + forge.token
        return forge.token in (self.headers.get("PRIVATE-TOKEN"), self.headers.get("JOB-TOKEN"))

    def take_fault(self, method, path):
        with self.forge.lock:
            for fault in self.forge.faults:
                if fault.get("times", 1) > 0 and fault.get("method", method) == method and re.search(fault.get("path", ""), path):
                    fault["times"] = fault.get("times", 1) - 1
                    return fault
        return None

    def validate(self, method, url, raw):
        forge = self.forge
        problems = []
        token = forge.token
        for name, value in self.headers.items():
            if token in value and name.lower() not in AUTH_HEADERS:
                problems.append(f"the token appears in header {name}")
        if token in urllib.parse.unquote(self.path) or token.encode() in raw:
            problems.append("the token appears outside its auth header")
        if not self.headers.get("User-Agent"):
            problems.append("no User-Agent header")
        present = [h for h in AUTH_HEADERS if self.headers.get(h)]
        if len(present) != 1:
            problems.append(f"expected exactly one auth header, got {present}")
        if forge.flavour == "github" and self.headers.get("X-GitHub-Api-Version") != "2022-11-28":
            problems.append("X-GitHub-Api-Version is not 2022-11-28")
        match = None
        for op_method, pattern, template, operation, parameters in forge.operations:
            found = pattern.match(url.path)
            if found and op_method == method:
                match = (template, operation, parameters, found.groupdict())
                break
        if match is None:
            problems.append("no operation in the API description has this method and path")
            return problems, None, {}
        template, operation, parameters, params = match
        declared = {p["name"]: p for p in parameters if p.get("in") == "query"}
        for name, values in urllib.parse.parse_qs(url.query).items():
            if name not in declared:
                problems.append(f"query parameter {name} is not declared for {template}")
                continue
            kind = declared[name].get("schema", declared[name]).get("type")
            if kind == "integer" and not all(v.isdigit() for v in values):
                problems.append(f"query parameter {name} is not an integer")
        for p in parameters:
            if p.get("in") == "path":
                kind = p.get("schema", p).get("type")
                if kind == "integer" and not params.get(p["name"], "").isdigit():
                    problems.append(f"path parameter {p['name']} is not an integer")
        schema = None
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
        for p in parameters:
            if p.get("in") == "body":
                schema = p["schema"]
        if schema is not None:
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                problems.append("a JSON body without Content-Type: application/json")
            try:
                body = json.loads(raw)
                validator = jsonschema.Draft7Validator(strict_schema(deref(forge.spec, schema)))
                problems.extend(f"body: {e.message} at {list(e.absolute_path)}" for e in validator.iter_errors(body))
            except ValueError as error:
                problems.append(f"body is not JSON: {error}")
        elif raw:
            problems.append("a body where the operation takes none")
        return problems, operation.get("operationId"), params

    def control(self, method, path, raw):
        forge = self.forge
        with forge.lock:
            if path == "/_control/state" and method == "GET":
                return self.reply(200, forge.state())
            if path == "/_control/pr" and method == "POST":
                forge.pr.update(json.loads(raw))
                return self.reply(200, forge.pr)
            if path == "/_control/script" and method == "POST":
                forge.faults.extend(json.loads(raw))
                return self.reply(200, forge.faults)
        self.reply(404, {"message": "unknown control endpoint"})

    def page(self, items, query, size_param):
        """One page of `items` and its Link header, with a small page size so clients cross pages."""
        forge = self.forge
        page = int(query.get("page", ["1"])[0])
        size = min(int(query.get(size_param, [str(forge.page_size)])[0]), forge.page_size)
        chunk = items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(items):
            parts = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(parts.query)
            q["page"] = [str(page + 1)]
            target = f"http://{self.headers.get('Host')}{parts.path}?{urllib.parse.urlencode(q, doseq=True)}"
            headers["Link"] = f'<{target}>; rel="next"'
        return chunk, headers

    # GitHub

    def serve_github(self, method, operation, params, query, body):
        forge = self.forge
        pr = forge.pr
        if operation == "pulls/get":
            return 200, {"number": pr["number"], "head": {"sha": pr["head"], "ref": "feature"},
                         "base": {"sha": pr["base"], "ref": "main"}}, None
        if operation == "pulls/list-review-comments":
            chunk, headers = self.page(forge.review_comments, query, "per_page")
            return 200, chunk, headers
        if operation == "pulls/create-review":
            if body.get("commit_id") != pr["head"]:
                return 422, {"message": "commit_id is not the pull request's head"}, None
            lines = forge.diff_lines()
            for comment in body.get("comments", []):
                if lines is not None and comment.get("line") not in lines.get(comment["path"], set()):
                    # GitHub fails the whole review and does not say which comment.
                    return 422, {"message": "Unprocessable Entity",
                                 "errors": ["Line could not be resolved"]}, None
            review = {"id": forge.new_id(), "body": body.get("body", ""), "state": "COMMENTED",
                      "commit_id": body["commit_id"], "user": {"login": "github-actions[bot]"}}
            forge.reviews.append(review)
            for comment in body.get("comments", []):
                forge.review_comments.append({"id": forge.new_id(), "pull_request_review_id": review["id"],
                                              "path": comment["path"], "line": comment.get("line"),
                                              "side": comment.get("side"), "body": comment["body"],
                                              "commit_id": body["commit_id"]})
            return 200, review, None
        if operation == "issues/list-comments":
            chunk, headers = self.page(forge.comments, query, "per_page")
            return 200, chunk, headers
        if operation == "issues/create-comment":
            comment = {"id": forge.new_id(), "body": body["body"], "user": {"login": "github-actions[bot]"}}
            forge.comments.append(comment)
            return 201, comment, None
        if operation == "issues/update-comment":
            return self.update_comment(int(params["comment_id"]), body["body"])
        if operation == "repos/create-commit-status":
            status = {"id": forge.new_id(), "sha": params["sha"], "state": body["state"],
                      "context": body.get("context", "default"), "description": body.get("description")}
            forge.statuses.append(status)
            return 201, status, None
        return 501, {"message": f"the fake does not serve {operation}"}, None

    def update_comment(self, comment_id, text):
        for comment in self.forge.comments:
            if comment["id"] == comment_id:
                comment["body"] = text
                comment["edits"] = comment.get("edits", 0) + 1
                return 200, comment, None
        return 404, {"message": "Not Found"}, None

    # Gitea

    def serve_gitea(self, method, operation, params, query, body):
        forge = self.forge
        pr = forge.pr
        if operation == "repoGetPullRequest":
            return 200, {"number": pr["number"], "head": {"sha": pr["head"], "ref": "feature"},
                         "base": {"sha": pr["base"], "ref": "main"}}, None
        if operation == "repoListPullReviews":
            chunk, headers = self.page(forge.reviews, query, "limit")
            return 200, chunk, headers
        if operation == "repoCreatePullReview":
            review = {"id": forge.new_id(), "body": body.get("body", ""), "state": "COMMENT",
                      "commit_id": body.get("commit_id"), "comments_count": len(body.get("comments", []))}
            forge.reviews.append(review)
            for comment in body.get("comments", []):
                forge.review_comments.append({"id": forge.new_id(), "pull_request_review_id": review["id"],
                                              "path": comment["path"], "position": comment.get("new_position"),
                                              "body": comment["body"], "commit_id": body.get("commit_id")})
            return 200, review, None
        if operation == "repoGetPullReviewComments":
            review_id = int(params["id"])
            return 200, [c for c in forge.review_comments if c["pull_request_review_id"] == review_id], None
        if operation == "issueGetComments":
            return 200, forge.comments, None
        if operation == "issueCreateComment":
            comment = {"id": forge.new_id(), "body": body["body"]}
            forge.comments.append(comment)
            return 201, comment, None
        if operation == "issueEditComment":
            return self.update_comment(int(params["id"]), body["body"])
        if operation == "repoCreateStatus":
            status = {"id": forge.new_id(), "sha": params["sha"], "state": body["state"],
                      "context": body.get("context"), "description": body.get("description")}
            forge.statuses.append(status)
            return 201, status, None
        return 501, {"message": f"the fake does not serve {operation}"}, None

    # GitLab

    def serve_gitlab(self, method, operation, params, query, body):
        forge = self.forge
        pr = forge.pr
        if operation == "mergeRequests/versions":
            return 200, [{"id": 1, "head_commit_sha": pr["head"], "base_commit_sha": pr["base"],
                          "start_commit_sha": pr.get("start", pr["base"]), "state": "collected"}], None
        if operation == "discussions/list":
            chunk, headers = self.page(forge.discussions, query, "per_page")
            return 200, chunk, headers
        if operation == "discussions/create":
            position = body.get("position")
            if position:
                if position["head_sha"] != pr["head"] or position["base_sha"] != pr["base"]:
                    return 400, {"message": "400 Bad request - Note {:line_code=>[\"must be a valid line code\"]}"}, None
                lines = forge.diff_lines()
                if lines is not None and position.get("new_line") not in lines.get(position["new_path"], set()):
                    return 400, {"message": "400 Bad request - Note {:line_code=>[\"can't be blank\", \"must be a valid line code\"]}"}, None
            note = {"id": forge.new_id(), "type": "DiffNote" if position else None, "body": body["body"],
                    "position": position, "system": False}
            discussion = {"id": f"{forge.new_id():040x}", "individual_note": position is None, "notes": [note]}
            forge.discussions.append(discussion)
            return 201, discussion, None
        if operation == "notes/create":
            note = {"id": forge.new_id(), "type": None, "body": body["body"], "system": False}
            forge.discussions.append({"id": f"{forge.new_id():040x}", "individual_note": True, "notes": [note]})
            forge.comments.append(note)
            return 201, note, None
        if operation == "notes/update":
            return self.update_comment(int(params["note_id"]), body["body"])
        if operation == "commits/set-status":
            status = {"id": forge.new_id(), "sha": params["sha"], "status": body["state"], "state": body["state"],
                      "name": body.get("name"), "context": body.get("name"), "description": body.get("description")}
            forge.statuses.append(status)
            return 201, status, None
        return 501, {"message": f"the fake does not serve {operation}"}, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flavour", choices=["github", "gitlab", "gitea"], required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--page-size", type=int, default=2)
    parser.add_argument("--lifetime", type=float, default=300)
    args = parser.parse_args()
    # A parent that spawns from a thread with signals blocked passes the mask on; unblock
    # SIGTERM so the tests can stop the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    with open(args.spec) as handle:
        spec = json.load(handle)
    Handler.forge = Forge(args.flavour, spec, args.token, args.page_size)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    timer = threading.Timer(args.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
