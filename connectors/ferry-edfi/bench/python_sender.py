#!/usr/bin/env python3
"""A lightbeam-shaped Python sender (requests + threads), NOT lightbeam itself.

The baseline of send-bench.sh. It does what lightbeam's send loop does for one resource: get an
OAuth client-credentials token, then POST each line of a JSONL file to
{base_url}data/v3/{namespace}/{resource} with WORKERS requests in flight (a ThreadPoolExecutor
whose threads each keep one requests.Session, so connections are kept alive), hash each line
(lightbeam keys its state by a hash of the payload), record the status per hash, count the
statuses and write the state to a JSON file at the end.

The client secret is read from the environment variable EDFI_CLIENT_SECRET, never from the command
line, and is never printed.

Prints one JSON line: {"sent": N, "statuses": {"201": N, ...}, "errors": N, "seconds": S}.
Exit status: 0 when every line was answered 200 or 201, 1 otherwise, 2 for bad arguments.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import sys
import threading
import time

import requests

_local = threading.local()


def _session():
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        # One kept-alive connection per worker thread, as lightbeam keeps one connection per slot.
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


def _token(base_url, client_id, client_secret, timeout):
    answer = requests.post(
        base_url + "oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, client_secret),
        timeout=timeout,
    )
    if answer.status_code != 200:
        raise SystemExit(
            f"python_sender: the token request to {base_url}oauth/token was answered {answer.status_code};"
            " check --client-id and EDFI_CLIENT_SECRET"
        )
    return answer.json()["access_token"]


def _post(url, headers, line, timeout):
    digest = hashlib.md5(line.encode("utf-8")).hexdigest()
    try:
        answer = _session().post(url, data=line.encode("utf-8"), headers=headers, timeout=timeout)
        # Read the body, as lightbeam reads it to report errors.
        _ = answer.content
        return digest, answer.status_code
    except requests.RequestException as e:
        return digest, "error:" + type(e).__name__


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the API root, ending in '/'")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--namespace", default="ed-fi")
    parser.add_argument("--resource", required=True, help="for example localEducationAgencies")
    parser.add_argument("--file", required=True, help="the JSONL file, one payload per line")
    parser.add_argument("--workers", type=int, required=True, help="requests in flight")
    parser.add_argument("--state-file", required=True, help="where to write {hash: status}")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    client_secret = os.environ.get("EDFI_CLIENT_SECRET")
    if not client_secret:
        parser.error("set the client secret in the environment variable EDFI_CLIENT_SECRET")
    base_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"

    started = time.monotonic()
    token = _token(base_url, args.client_id, client_secret, args.timeout)
    url = f"{base_url}data/v3/{args.namespace}/{args.resource}"
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    with open(args.file, encoding="utf-8") as source:
        lines = [line.rstrip("\n") for line in source if line.strip()]

    state = {}
    statuses = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        for digest, status in pool.map(lambda line: _post(url, headers, line, args.timeout), lines):
            state[digest] = [status, time.time()]
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    with open(args.state_file, "w", encoding="utf-8") as out:
        json.dump(state, out)
    seconds = time.monotonic() - started

    ok = statuses.get("200", 0) + statuses.get("201", 0)
    errors = len(lines) - ok
    print(json.dumps({"sent": len(lines), "statuses": statuses, "errors": errors, "seconds": round(seconds, 3)}))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
