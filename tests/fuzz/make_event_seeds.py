#!/usr/bin/env python3
"""Writes the seed corpus of event_fields_fuzzer from real events.

    python3 tests/fuzz/make_event_seeds.py tests/fuzz/corpus/event_fields

The events come from the legacy data directory fixture
(tests/data/legacy/data-v1.tar.gz, written by the kura of 69e846b):
every JSON object stored in its catalog (LMDB values are stored whole, so
a scan of data.mdb for canonical JSON objects finds them; nothing here
depends on kura's code or on LMDB bindings). Kept: the objects that are in
kura's canonical form (document.received / received_again / corrected,
workflow.* events, and the catalog records beside them), once each, plus
for every event carrying "search_row" the same event without it (the form
of events written before they carried it, which makes the verifier derive
the row from version.fields). And a few written by hand for what the
fixture lacks: escapes and control characters, floats, negative and huge
numbers, a null time-stamp, writes, non-canonical spacing.
"""
import hashlib
import json
import os
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "data", "legacy", "data-v1.tar.gz")


HAND = [
    rb'{"id":"D00000001","receipt":{"department":"\u0001\"\\","file_name":"a\nb\t\u001f.pdf",'
    rb'"received_at":"2026-11-22T01:00:00.000000Z"},"size":0,"timestamp":null,'
    rb'"type":"document.received","version":{"fields":{"counterparty":"\u00e9",'
    rb'"line_descriptions":["x",1,null,["y"],{"z":"w"}],"needs_metadata":true,"total":1.5},'
    rb'"number":1}}',
    '{"id":"D00000002","size":18446744073709551615,"timestamp":{"tsr":"ab"},'
    '"type":"document.received_again","version":{"fields":{"counterparty":"株式会社\\t蔵前",'
    '"issue_date":null,"total":-0.0},"number":-1}}'.encode(),
    rb'{"a":[1.0,-2,3e-07,1e+300,0.1],"search_row":"00","type":"x","version":[],'
    rb'"writes":{"tables":{"docs":["k1","k2"]}}}',
    rb'{ "type" : "document.received" , "size" : 12 }',
    rb'{"receipt":[],"timestamp":[],"type":"document.corrected","version":"v"}',
]


def canonical(value):
    # EventLog::Canonical: nlohmann dump(-1), keys sorted by UTF-8 bytes
    # (code points), no ASCII escaping. The events hold no floats.
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def objects_in(blob):
    decoder = json.JSONDecoder()
    i = 0
    while True:
        i = blob.find(b'{"', i)
        if i < 0:
            return
        chunk = blob[i:i + 1 << 20]
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as e:
            text = chunk[:e.start].decode("utf-8")
        try:
            value, end = decoder.raw_decode(text)
        except ValueError:
            i += 2
            continue
        raw = text[:end].encode("utf-8")
        yield value, raw
        i += len(raw)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with tarfile.open(FIXTURE) as tar:
        blob = tar.extractfile("data/catalog/data.mdb").read()
    seeds = set()
    for value, raw in objects_in(blob):
        if not isinstance(value, dict) or canonical(value) != raw:
            continue
        seeds.add(raw)
        if "search_row" in value:
            old = dict(value)
            del old["search_row"]
            seeds.add(canonical(old))
    seeds.update(HAND)
    for raw in sorted(seeds):
        name = "event-" + hashlib.sha256(raw).hexdigest()[:16] + ".json"
        with open(os.path.join(out, name), "wb") as f:
            f.write(raw)
    print("wrote %d seeds to %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
