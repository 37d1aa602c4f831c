#!/usr/bin/env python3
"""Arbiter quick start, Python standard library only.

token -> create a campaign -> import items -> add an annotator -> start -> annotate (as that
annotator) -> export a Hugging Face dataset ZIP -> read it back.

    python3 examples/python/quickstart.py --base http://localhost:3000 \
        --email admin@arbiter.local --password arbiter-admin --out ./my-dataset

Exits non-zero (with the server's error) when any step fails. No third-party package needed;
with `datasets` installed, `load_dataset("./my-dataset")` loads the unzipped folder.
"""
import argparse
import io
import json
import sys
import urllib.error
import urllib.request
import uuid
import zipfile


def call(base, method, path, token=None, body=None, content_type="application/json", raw=False, ok=(200, 201, 204)):
    data = None
    headers = {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["content-type"] = content_type
    if token:
        headers["authorization"] = f"Bearer {token}"
    if method == "POST" and path.endswith("/judgment"):
        headers["idempotency-key"] = str(uuid.uuid4())
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    if status not in ok:
        sys.exit(f"{method} {path} -> {status}: {payload[:500].decode(errors='replace')}")
    if raw:
        return payload
    return json.loads(payload) if payload else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://localhost:3000")
    parser.add_argument("--email", default="admin@arbiter.local")
    parser.add_argument("--password", default="arbiter-admin")
    parser.add_argument("--out", default="arbiter-dataset", help="folder the ZIP is unpacked into")
    args = parser.parse_args()
    base = args.base.rstrip("/")

    # 1. A token for the admin.
    token = call(base, "POST", "/api/v1/tokens", body={"email": args.email, "password": args.password})["token"]

    # 2. A pairwise campaign with a 1-3 strength scale (its TRL export gets a `margin` column).
    campaign = call(base, "POST", "/api/v1/campaigns", token, {
        "name": f"Python quick start {uuid.uuid4().hex[:6]}",
        "taskType": "pairwise",
        "config": {"overlap": 1, "strengthScale": True, "goldRate": 0},
    })
    cid = campaign["id"]

    # 3. Items, as JSON Lines: one single-turn and one multi-turn (so prompts export as message lists).
    items = [
        {"id": "q1", "prompt": "What is 2+2?", "responses": [{"id": "a", "content": "4", "model": "m1"}, {"id": "b", "content": "5", "model": "m2"}]},
        {"id": "q2", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"},
                                  {"role": "user", "content": "Name a prime."}],
         "responses": [{"id": "a", "content": "7", "model": "m1"}, {"id": "b", "content": "8", "model": "m2"}]},
    ]
    body = "".join(json.dumps(item) + "\n" for item in items).encode()
    imported = call(base, "POST", f"/api/v1/campaigns/{cid}/items?format=native", token, body, "application/x-ndjson")
    assert imported["imported"] == len(items), imported

    # 4. An annotator account, made a member.
    email = f"py-annotator-{uuid.uuid4().hex[:8]}@example.org"
    password = uuid.uuid4().hex
    user = call(base, "POST", "/api/v1/users", token, {"email": email, "role": "annotator", "password": password})
    call(base, "POST", f"/api/v1/campaigns/{cid}/members", token, {"userId": user["id"]})

    # 5. Start the campaign.
    call(base, "POST", f"/api/v1/campaigns/{cid}/status", token, {"status": "active"})

    # 6. Annotate as the annotator: prefer the right answer ("4", "7"), strongly. Candidates come
    #    in a shuffled order under their own ids, so pick by content.
    annotator = call(base, "POST", "/api/v1/tokens", body={"email": email, "password": password})["token"]
    judged = 0
    while True:
        task = call(base, "GET", f"/api/v1/campaigns/{cid}/tasks/next", annotator)
        if task is None:
            break
        best = next(candidate for candidate in task["candidates"] if candidate["content"] in ("4", "7"))
        call(base, "POST", f"/api/v1/assignments/{task['assignmentId']}/judgment", annotator, {"winner": best["id"], "strength": 3})
        judged += 1
    assert judged == len(items), judged

    # 7. Export: TRL pairs as a Hugging Face dataset ZIP (Parquet inside), and unpack it.
    archive = call(base, "GET", f"/api/v1/campaigns/{cid}/export?format=trl&file=zip&bundle=parquet", token, raw=True)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        names = sorted(zf.namelist())
        assert names == ["README.md", "data/train-00000-of-00001.parquet"], names
        zf.extractall(args.out)

    # 8. Read it back: the same rows as JSON Lines (stdlib can read those), and the card.
    text = call(base, "GET", f"/api/v1/campaigns/{cid}/export?format=trl", token, raw=True).decode()
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == judged, rows
    for row in rows:
        # One type per column: every prompt is a message list, because one item is multi-turn.
        assert isinstance(row["prompt"], list) and row["prompt"][-1]["role"] == "user", row
        assert row["chosen"][0]["role"] == "assistant" and row["margin"] == 3, row
    assert {row["chosen"][0]["content"] for row in rows} == {"4", "7"}, rows
    card = open(f"{args.out}/README.md", encoding="utf-8").read()
    assert "dataset_info:" in card and "path: data/train-00000-of-00001.parquet" in card

    print(json.dumps({"campaign": cid, "rows": len(rows), "folder": args.out, "first": rows[0]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
