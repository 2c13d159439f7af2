#!/usr/bin/env python3
"""Generates the RFC 6962 Merkle proof vectors in this directory.

Independent of kura's C++: the tree hash, audit paths and consistency
proofs are computed from the recursive definitions of RFC 6962 §2.1, and
every vector is checked against the values published in
transparency-dev/merkle proof/verify_test.go (the eight standard leaves,
their roots for sizes 1..8, and the known inclusion and consistency proofs)
before anything is written. Mutated copies follow that file's
corruptInclusionProof / corruptConsistencyProof; each is checked to fail
with the RFC 9162 §2.1.3.2 / §2.1.4.2 verification algorithms, written out
step by step below. Garbage hashes are 32 bytes so that the C++ verifier,
not the JSON parser, has to reject them.

Run from anywhere: python3 generate.py (rewrites inclusion/ consistency/
and tree.json next to this file).
"""

import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
U64 = 2**64

LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"]]

# transparency-dev/merkle proof/verify_test.go
PUBLISHED_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (1-based leaf, size, proof)
PUBLISHED_INCLUSION = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
PUBLISHED_CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
EMPTY_HASH = hashlib.sha256(b"").digest()
GARBAGE = bytes(32)


def sha(b):
    return hashlib.sha256(b).digest()


def leaf_hash(d):
    return sha(b"\x00" + d)


def node_hash(l, r):
    return sha(b"\x01" + l + r)


def k_of(n):  # largest power of two smaller than n (n > 1)
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):  # RFC 6962 §2.1
    if len(d) == 0:
        return EMPTY_HASH
    if len(d) == 1:
        return leaf_hash(d[0])
    k = k_of(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m, d):  # RFC 6962 §2.1.1
    if len(d) <= 1:
        return []
    k = k_of(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):  # RFC 6962 §2.1.2
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = k_of(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def verify_inclusion(index, size, h, proof, root):  # RFC 9162 §2.1.3.2
    if len(h) != 32 or len(root) != 32 or index >= size:
        return False
    fn, sn, r = index, size - 1, h
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, h1, h2, proof):  # RFC 9162 §2.1.4.2
    if first > second:
        return False
    if first == second:
        return not proof and h1 == h2
    if first == 0:
        return not proof
    if not proof:
        return False
    proof = list(proof)
    if first & (first - 1) == 0:
        proof = [h1] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == h1 and sr == h2 and sn == 0


def hexes(hs):
    return [h.hex() for h in hs]


def write(path_, obj):
    with open(path_, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def inclusion_probes(index, size, proof, root, lh):
    probes = [
        ("leaf-index-minus-1", (index - 1) % U64, size, root, lh, proof),
        ("leaf-index-plus-1", index + 1, size, root, lh, proof),
        ("leaf-index-xor-2", index ^ 2, size, root, lh, proof),
        ("tree-size-times-2", index, size * 2, root, lh, proof),
        ("tree-size-div-2", index, size // 2, root, lh, proof),
        ("wrong-leaf", index, size, root, leaf_hash(b"WrongLeaf"), proof),
        ("empty-root", index, size, EMPTY_HASH, lh, proof),
        ("random-root", index, size, SOME_HASH, lh, proof),
        ("trailing-garbage", index, size, root, lh, proof + [GARBAGE]),
        ("trailing-root", index, size, root, lh, proof + [root]),
        ("preceding-garbage", index, size, root, lh, [GARBAGE] + proof),
        ("preceding-root", index, size, root, lh, [root] + proof),
    ]
    for i in range(len(proof)):
        p = list(proof)
        p[i] = bytes([p[i][0] ^ 8]) + p[i][1:]
        probes.append((f"modified-proof-{i}-bit-3", index, size, root, lh, p))
    if proof:
        probes.append(("removed-component", index, size, root, lh, proof[:-1]))
    if len(proof) > 1:
        probes.append(("inserted-component", index, size, root, lh,
                       [proof[0], SOME_HASH] + proof[1:]))
    return probes


def consistency_probes(s1, s2, r1, r2, proof):
    probes = [
        ("size1-minus-1", (s1 - 1) % U64, s2, r1, r2, proof),
        ("size1-plus-1", s1 + 1, s2, r1, r2, proof),
        ("size1-xor-2", s1 ^ 2, s2, r1, r2, proof),
        ("size2-times-2", s1, s2 * 2, r1, r2, proof),
        ("size2-div-2", s1, s2 // 2, r1, r2, proof),
        ("wrong-root1", s1, s2, leaf_hash(b"WrongRoot"), r2, proof),
        ("wrong-root2", s1, s2, r1, leaf_hash(b"WrongRoot"), proof),
        ("swapped-roots", s1, s2, r2, r1, proof),
        ("empty-proof", s1, s2, r1, r2, []),
        ("trailing-garbage", s1, s2, r1, r2, proof + [GARBAGE]),
        ("trailing-root1", s1, s2, r1, r2, proof + [r1]),
        ("trailing-root2", s1, s2, r1, r2, proof + [r2]),
        ("preceding-garbage", s1, s2, r1, r2, [GARBAGE] + proof),
        ("preceding-root1", s1, s2, r1, r2, [r1] + proof),
        ("preceding-root2", s1, s2, r1, r2, [r2] + proof),
        ("preceding-proof-0", s1, s2, r1, r2, [proof[0]] + proof),
        ("truncated-proof", s1, s2, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        p = list(proof)
        p[i] = bytes([p[i][0] ^ 16]) + p[i][1:]
        probes.append((f"modified-proof-{i}-bit-4", s1, s2, r1, r2, p))
    return probes


def main():
    roots = [mth(LEAVES[:n]) for n in range(0, 9)]
    assert hexes(roots[1:]) == PUBLISHED_ROOTS, "roots differ from the published ones"
    write(os.path.join(HERE, "tree.json"), {
        "desc": "the eight standard RFC 6962 test leaves and the roots of their prefixes",
        "leaves": [l.hex() for l in LEAVES],
        "leaf_hashes": [leaf_hash(l).hex() for l in LEAVES],
        "roots": hexes(roots),
    })

    for sub in ("inclusion", "consistency"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)

    for leaf, size, published in PUBLISHED_INCLUSION:
        index = leaf - 1
        proof = path(index, LEAVES[:size])
        assert hexes(proof) == published, (leaf, size)
        root, lh = roots[size], leaf_hash(LEAVES[index])
        assert verify_inclusion(index, size, lh, proof, root)
        d = os.path.join(HERE, "inclusion", f"{index}-{size}")
        os.makedirs(d)
        write(os.path.join(d, "happy-path.json"), {
            "desc": "happy path", "leaf_index": index, "tree_size": size,
            "leaf_hash": lh.hex(), "root": root.hex(), "proof": hexes(proof),
            "want_err": False})
        for desc, i, s, r, h, p in inclusion_probes(index, size, proof, root, lh):
            assert not verify_inclusion(i, s, h, p, r), (index, size, desc)
            write(os.path.join(d, desc + ".json"), {
                "desc": desc, "leaf_index": i, "tree_size": s, "leaf_hash": h.hex(),
                "root": r.hex(), "proof": hexes(p), "want_err": True})

    for s1, s2, published in PUBLISHED_CONSISTENCY:
        proof = subproof(s1, LEAVES[:s2], True)
        assert hexes(proof) == published, (s1, s2)
        r1, r2 = roots[s1], roots[s2]
        assert verify_consistency(s1, s2, r1, r2, proof)
        d = os.path.join(HERE, "consistency", f"{s1}-{s2}")
        os.makedirs(d)
        write(os.path.join(d, "happy-path.json"), {
            "desc": "happy path", "size1": s1, "size2": s2, "root1": r1.hex(),
            "root2": r2.hex(), "proof": hexes(proof), "want_err": False})
        if not proof:
            continue
        for desc, a, b, x, y, p in consistency_probes(s1, s2, r1, r2, proof):
            assert not verify_consistency(a, b, x, y, p), (s1, s2, desc)
            write(os.path.join(d, desc + ".json"), {
                "desc": desc, "size1": a, "size2": b, "root1": x.hex(), "root2": y.hex(),
                "proof": hexes(p), "want_err": True})


if __name__ == "__main__":
    main()
