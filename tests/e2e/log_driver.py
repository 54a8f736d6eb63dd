#!/usr/bin/env python3
"""Drives `chartprov log serve` for tests/e2e/log_server.sh: submits signed entries from many
threads and records every acknowledgement, and checks a log from the outside the way a client
does (C2SP checkpoint signature, tiles, entry bundles, RFC 9162 inclusion proofs).

  log_driver.py make N REQUESTS [PREFIX]   N distinct hashedrekord requests (P-256 signatures over
                                           random digests), one JSON per line
  log_driver.py submit URL... --requests R --acks A [--threads T]
                                           submits every request (round-robin over the URLs),
                                           appends each 200/201 answer to A; a refused or failed
                                           one is retried while the time allows (--deadline S)
  log_driver.py check URL --key LOGKEY --origin O [--acks A]... [--expect N]
                                           the checkpoint verifies with the log key; the tiles and
                                           entry bundles give its root; every ack is in the tree
                                           once (its leaf at its index), its proof verifies
                                           against its own checkpoint and that root is a prefix
                                           root of the tree; no two entries have one content
  log_driver.py resubmit URL --requests R  every request again: 200, the index already logged
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils


def b64(b):
    return base64.b64encode(b).decode()


def leaf_hash(b):
    return hashlib.sha256(b"\x00" + b).digest()


def node_hash(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()


def mth(hashes_):
    """RFC 9162 MTH over leaf hashes, bottom-up (the largest power of two on the left)."""
    if not hashes_:
        return hashlib.sha256(b"").digest()
    level = list(hashes_)
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def http(method, url, body=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def make(args):
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    with open(args.requests, "w") as f:
        for i in range(args.n):
            digest = hashlib.sha256(os.urandom(16) + str(i).encode()).digest()
            sig = key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
            req = {"hashedRekordRequestV002": {"digest": b64(digest), "signature": {"content": b64(sig),
                   "verifier": {"publicKey": {"rawBytes": b64(spki)}, "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}},
                   "chartprov": {"chart": f"{args.prefix}{i}", "version": "1.0.0", "envelope": "sigstore-bundle"}}
            f.write(json.dumps(req, separators=(",", ":")) + "\n")


def submit(args):
    reqs = [line.rstrip("\n") for line in open(args.requests)]
    lock = threading.Lock()
    next_i = [0]
    counts = {"ok": 0, "failed": 0}
    deadline = time.time() + args.deadline
    out = open(args.acks, "a")

    def worker(t):
        url = args.urls[t % len(args.urls)]
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= len(reqs):
                return
            while True:
                try:
                    status, body = http("POST", url + "/api/v2/log/entries", reqs[i].encode())
                except Exception:  # the log or its database is down: retry while the time allows
                    status, body = 0, b""
                if status in (200, 201):
                    with lock:
                        out.write(json.dumps({"request": i, "status": status, "entry": json.loads(body)}) + "\n")
                        out.flush()
                        counts["ok"] += 1
                    break
                if status in (400, 413) or time.time() > deadline:
                    with lock:
                        counts["failed"] += 1
                        print(f"request {i}: {status} {body[:200]!r}", file=sys.stderr)
                    break
                time.sleep(0.05)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(counts))
    return 0 if counts["failed"] == 0 else 1


def parse_note(text, origin, pub):
    body, sep, sigs = text.partition("\n\n")
    if not sep:
        raise SystemExit("checkpoint: no blank line")
    body += "\n"
    lines = body.split("\n")
    if lines[0] != origin:
        raise SystemExit(f"checkpoint: origin {lines[0]!r}, not {origin!r}")
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + raw).digest()[:4]
    verified = False
    for line in sigs.splitlines():
        if not line.startswith("\u2014 " + origin + " "):
            continue
        sig = base64.b64decode(line.split(" ")[2])
        if sig[:4] != key_id:
            continue
        pub.verify(sig[4:], body.encode())  # raises on a bad signature
        verified = True
    if not verified:
        raise SystemExit("checkpoint: no signature of the log's key")
    return int(lines[1]), base64.b64decode(lines[2])


def tile_index_path(n):
    groups = []
    while True:
        groups.append(n % 1000)
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(("x%03d" if i < len(groups) - 1 else "%03d") % g for i, g in enumerate(groups))


def fetch_entries(url, size):
    entries = []
    for t in range((size + 255) // 256):
        width = min(256, size - t * 256)
        path = f"{url}/tile/entries/{tile_index_path(t)}" + ("" if width == 256 else f".p/{width}")
        status, data = http("GET", path)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        at = 0
        got = []
        while at < len(data):
            n = int.from_bytes(data[at:at + 2], "big")
            got.append(data[at + 2:at + 2 + n])
            at += 2 + n
        if len(got) != width:
            raise SystemExit(f"{path}: {len(got)} entries, not {width}")
        entries.extend(got)
    return entries


def check_hash_tiles(url, hashes_):
    """Level-0 and level-1 tiles are the leaf hashes and the roots of 256-leaf subtrees."""
    level = hashes_
    for lvl in range(2):
        for t in range((len(level) + 255) // 256):
            width = min(256, len(level) - t * 256)
            path = f"{url}/tile/{lvl}/{tile_index_path(t)}" + ("" if width == 256 else f".p/{width}")
            status, data = http("GET", path)
            if status != 200 or data != b"".join(level[t * 256:t * 256 + width]):
                raise SystemExit(f"{path}: {status}, not the tree's hashes")
        level = [mth(level[i:i + 256]) for i in range(0, len(level) - len(level) % 256, 256)]


def check(args):
    with open(args.key, "rb") as f:
        pem = f.read()
    pem = pem[pem.index(b"-----BEGIN"):]
    pub = serialization.load_pem_private_key(pem, password=None).public_key()
    status, note = http("GET", args.url + "/checkpoint")
    if status != 200:
        raise SystemExit(f"/checkpoint: {status}")
    size, root = parse_note(note.decode(), args.origin, pub)
    entries = fetch_entries(args.url, size)
    hashes_ = [leaf_hash(e) for e in entries]
    if mth(hashes_) != root:
        raise SystemExit("the entries' root is not the checkpoint's")
    check_hash_tiles(args.url, hashes_)
    status, _ = http("GET", f"{args.url}/tile/entries/{tile_index_path(size // 256)}.p/{size % 256 + 1}")
    if status != 404:
        raise SystemExit(f"an entry bundle past the tree: {status}, not 404")
    contents = {}
    for i, e in enumerate(entries):
        body = json.loads(e)
        del body["chartprov"]["time"]
        key = json.dumps(body, sort_keys=True)
        if key in contents:
            raise SystemExit(f"entries {contents[key]} and {i} have one content")
        contents[key] = i
    acked = {}
    prefix_roots = {}
    for path in args.acks or []:
        for line in open(path):
            a = json.loads(line)
            e = a["entry"]
            i = int(e["logIndex"])
            leaf = base64.b64decode(e["canonicalizedBody"])
            if i >= size or entries[i] != leaf:
                raise SystemExit(f"ack of request {a['request']}: entry {i} is not in the tree as acknowledged")
            if acked.setdefault((path, a["request"]), i) != i:
                raise SystemExit(f"{path}: request {a['request']} acknowledged at {acked[(path, a['request'])]} and {i}")
            p = e["inclusionProof"]
            ts, r = int(p["treeSize"]), base64.b64decode(p["rootHash"])
            ack_size, ack_root = parse_note(p["checkpoint"]["envelope"], args.origin, pub)
            if (ack_size, ack_root) != (ts, r):
                raise SystemExit(f"ack of request {a['request']}: the checkpoint is not the proof's tree")
            if not verify_inclusion(i, ts, leaf_hash(leaf), [base64.b64decode(h) for h in p["hashes"]], r):
                raise SystemExit(f"ack of request {a['request']}: the inclusion proof does not verify")
            if ts not in prefix_roots:
                prefix_roots[ts] = mth(hashes_[:ts])
            if prefix_roots[ts] != r:
                raise SystemExit(f"ack of request {a['request']}: its tree is not a prefix of the log's")
    if args.expect is not None and size != args.expect:
        raise SystemExit(f"{size} entries, not {args.expect}")
    print(json.dumps({"size": size, "acked": len(acked)}))
    return 0


def resubmit(args):
    bad = 0
    i = -1
    for i, line in enumerate(open(args.requests)):
        status, body = http("POST", args.url + "/api/v2/log/entries", line.rstrip("\n").encode())
        if status != 200:
            print(f"request {i}: {status}, not 200 (already logged)", file=sys.stderr)
            bad += 1
    print(json.dumps({"resubmitted": i + 1, "not_200": bad}))
    return 0 if bad == 0 else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("n", type=int)
    m.add_argument("requests")
    m.add_argument("prefix", nargs="?", default="chart-")
    s = sub.add_parser("submit")
    s.add_argument("urls", nargs="+")
    s.add_argument("--requests", required=True)
    s.add_argument("--acks", required=True)
    s.add_argument("--threads", type=int, default=16)
    s.add_argument("--deadline", type=float, default=60)
    c = sub.add_parser("check")
    c.add_argument("url")
    c.add_argument("--key", required=True)
    c.add_argument("--origin", required=True)
    c.add_argument("--acks", action="append")
    c.add_argument("--expect", type=int)
    r = sub.add_parser("resubmit")
    r.add_argument("url")
    r.add_argument("--requests", required=True)
    args = p.parse_args()
    return {"make": make, "submit": submit, "check": check, "resubmit": resubmit}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
