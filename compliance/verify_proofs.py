#!/usr/bin/env python3
"""Checks the Merkle proofs of a kura evidence bag, standard library only.

    python3 verify_proofs.py [BAG]          (BAG: this bag's folder, default: here)

For every data/proofs/<id>.json: each event's leaf hash is
SHA-256(0x00 || event bytes) and its inclusion proof leads to the root of
the checkpoint it names (data/checkpoints/<size>.note, third line, base64).
For every data/checkpoints/consistency-<a>-<b>.json: the consistency proof
shows that checkpoint b extends checkpoint a. For batch time-stamps
(data/timestamps/<id>.json, "kind": "batch"): the document's leaf
SHA-256(0x00 || SHA-256(original)) and its path give the root the token
signs; the script prints that root for `openssl ts -verify -digest`.
For time-stamp renewals (data/timestamps/renewals/<id>.chain.json): each
link's leaf SHA-256(0x00 || SHA-256(previous token's DER)) and its path give
the root the renewal token signs ("covered"); the script prints the openssl
command for each renewal token.
The algorithms are RFC 9162 sections 2.1.3.2 and 2.1.4.2, step by step.
Prints one line per problem ("NG file: why") and exits 1 if there is any;
0 otherwise. 包含証明・一貫性証明を RFC 9162 の手順どおりに確かめます。
"""

import base64
import glob
import hashlib
import json
import os
import sys


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(b):
    return sha256(b"\x00" + b)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def root_from_inclusion(index, size, leaf, path):  # RFC 9162 2.1.3.2
    if index >= size:
        raise ValueError("index beyond tree size")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("proof too long")
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
    if sn != 0:
        raise ValueError("proof too short")
    return r


def verify_consistency(first, second, first_hash, second_hash, path):  # RFC 9162 2.1.4.2
    if first > second:
        return False
    if first == second:
        return first_hash == second_hash and not path
    if first == 0:
        return not path
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash] + list(path)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def note_root(bag, name):
    """(size, root) from a checkpoint note: origin, size, base64 root."""
    with open(os.path.join(bag, "data", "checkpoints", name), "rb") as f:
        lines = f.read().decode("utf-8").split("\n")
    return int(lines[1]), base64.b64decode(lines[2], validate=True)


def check_proofs(bag, problems):
    count = 0
    for path in sorted(glob.glob(os.path.join(bag, "data", "proofs", "*.json"))):
        name = os.path.relpath(path, bag)
        with open(path, "rb") as f:
            p = json.loads(f.read().decode("utf-8"))
        size, root = note_root(bag, p["checkpoint"])
        if size != p["tree_size"] or root.hex() != p["root"]:
            problems.append(f"{name}: root/size differ from {p['checkpoint']}")
        for e in p["events"]:
            leaf = leaf_hash(e["event"].encode("utf-8"))
            if leaf.hex() != e["leaf_hash"]:
                problems.append(f"{name}: event {e['index']}: leaf hash differs from the event")
            try:
                got = root_from_inclusion(e["index"], size, leaf,
                                          [bytes.fromhex(h) for h in e["inclusion_proof"]])
            except ValueError as err:
                problems.append(f"{name}: event {e['index']}: {err}")
                continue
            if got != root:
                problems.append(f"{name}: event {e['index']}: inclusion proof fails")
            count += 1
    return count


def check_consistency(bag, problems):
    count = 0
    pattern = os.path.join(bag, "data", "checkpoints", "consistency-*.json")
    for path in sorted(glob.glob(pattern)):
        name = os.path.relpath(path, bag)
        with open(path, "rb") as f:
            c = json.loads(f.read().decode("utf-8"))
        s1, r1 = note_root(bag, c["old_checkpoint"])
        s2, r2 = note_root(bag, c["new_checkpoint"])
        ok = (s1, s2) == (c["old_size"], c["new_size"]) and verify_consistency(
            s1, s2, r1, r2, [bytes.fromhex(h) for h in c["consistency_proof"]])
        if not ok:
            problems.append(f"{name}: consistency proof fails")
        count += 1
    return count


def check_batches(bag, problems):
    for path in sorted(glob.glob(os.path.join(bag, "data", "timestamps", "*.json"))):
        with open(path, "rb") as f:
            t = json.loads(f.read().decode("utf-8"))
        if t.get("kind") != "batch":
            continue
        b = t["batch"]
        leaf = leaf_hash(bytes.fromhex(t["document_sha256"]))
        try:
            root = root_from_inclusion(b["index"], b["size"], leaf,
                                       [bytes.fromhex(h) for h in b["path"]])
        except ValueError as err:
            problems.append(f"{os.path.relpath(path, bag)}: {err}")
            continue
        print(f"{os.path.relpath(path, bag)}: openssl ts -verify -digest {root.hex()}")


def check_renewals(bag, problems):
    count = 0
    pattern = os.path.join(bag, "data", "timestamps", "renewals", "*.chain.json")
    for path in sorted(glob.glob(pattern)):
        name = os.path.relpath(path, bag)
        with open(path, "rb") as f:
            chain = json.loads(f.read().decode("utf-8"))
        links = chain["links"]
        for i in range(1, len(links)):
            link = links[i]
            try:
                with open(os.path.join(bag, links[i - 1]["token"]), "rb") as f:
                    previous = f.read()
                with open(os.path.join(bag, link["token"]), "rb") as f:
                    token = f.read()
                if sha256(token).hex() != link["token_sha256"]:
                    raise ValueError(f"{link['token']} is not the renewal token of link {i}")
                root = root_from_inclusion(link["index"], link["tree_size"],
                                           leaf_hash(sha256(previous)),
                                           [bytes.fromhex(h) for h in link["path"]])
            except (OSError, ValueError, KeyError) as err:
                problems.append(f"{name}: link {i}: {err}")
                continue
            if root.hex() != link["covered"]:
                problems.append(f"{name}: link {i}: path does not lead to the renewal's root")
                continue
            count += 1
            print(f"{name}: openssl ts -verify -digest {root.hex()} -in {link['token']}"
                  " -CAfile data/timestamps/tsa-certificates.pem")
    return count


def main():
    bag = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    problems = []
    events = check_proofs(bag, problems)
    consistency = check_consistency(bag, problems)
    check_batches(bag, problems)
    check_renewals(bag, problems)
    for p in problems:
        print("NG " + p)
    print(f"{events} inclusion proofs, {consistency} consistency proofs: "
          + ("OK（すべての証明が成り立ちます）" if not problems
             else f"{len(problems)} problem(s)（成り立たない証明があります）"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
