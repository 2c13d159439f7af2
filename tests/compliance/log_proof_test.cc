// `kura log proof | consistency | checkpoints`, each proof checked by the
// RFC 9162 verifier of tests/data/signing/merkle/generate.py (written from
// the RFC's algorithms, independent of kura's C++).
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/compliance/kura_cli.h"

namespace {

using kura_test::KuraRun;
using nlohmann::json;

class LogProofTest : public kura_test::KuraCliTest {
 protected:
  // Runs python with the independent verifier imported as `v`; `code` reads
  // the JSON in proof.json as `p`. Returns the exit status.
  int Python(const std::string& json_text, const std::string& code, std::string* out) {
    kura_test::WriteFileOrDie(dir_.Join("proof.json"), json_text);
    kura_test::WriteFileOrDie(
        dir_.Join("check.py"),
        "import base64, hashlib, json, sys\n"
        "sys.path.insert(0, '" KURA_SOURCE_DIR "/tests/data/signing/merkle')\n"
        "import generate as v\n"
        "p = json.load(open('proof.json', encoding='utf-8'))\n"
        "H = bytes.fromhex\n"
        "def note_root(note):\n"
        "    lines = note.split('\\n')\n"
        "    return int(lines[1]), base64.b64decode(lines[2])\n" +
            code);
    return Sh("python3 check.py", out);
  }
};

constexpr const char* kCheckInclusion =
    "size, root = note_root(p['checkpoint'])\n"
    "assert size == p['tree_size']\n"
    "for e in p['events']:\n"
    "    leaf = v.leaf_hash(e['event'].encode('utf-8'))\n"
    "    assert leaf.hex() == e['leaf_hash'], e['index']\n"
    "    assert v.verify_inclusion(e['index'], size, leaf, [H(h) for h in e['inclusion_proof']], "
    "root), e['index']\n"
    "print('ok', len(p['events']))\n";

TEST_F(LogProofTest, ProofCoversEveryEventOfADocument) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  ASSERT_EQ(Kura("correct D00000002 --set total=12 --reason 誤記").exit_code, 0);
  ASSERT_EQ(Kura("correct D00000002 --set total=13 --reason 再訂正").exit_code, 0);
  const KuraRun r = Kura("log proof D00000002");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json p = json::parse(r.out);
  ASSERT_EQ(p["events"].size(), 3u);
  EXPECT_EQ(p["events"][0]["type"], "document.received");
  EXPECT_EQ(p["events"][2]["type"], "document.corrected");
  EXPECT_EQ(p["event_index"], p["events"][0]["index"]);  // the receipt, as before
  EXPECT_NE(p["leaf_rule"].get<std::string>().find("0x00"), std::string::npos);
  std::string out;
  EXPECT_EQ(Python(r.out, kCheckInclusion, &out), 0) << out;
  EXPECT_NE(out.find("ok 3"), std::string::npos) << out;

  // One event of it; an event that is not its own is refused.
  const uint64_t correction = p["events"][1]["index"];
  const KuraRun one = Kura("log proof D00000002 --event " + std::to_string(correction));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["events"].size(), 1u);
  EXPECT_EQ(Kura("log proof D00000002 --event 0").exit_code, 1);
  // Any event by its index alone: the department's (event 0).
  const KuraRun any = Kura("log proof --event 0");
  ASSERT_EQ(any.exit_code, 0) << any.err;
  EXPECT_EQ(Python(any.out, kCheckInclusion, &out), 0) << out;
  // A changed proof fails the independent verifier: the check can fail.
  json bad = p;
  std::string h = bad["events"][1]["inclusion_proof"][0];
  h[5] = h[5] == 'a' ? 'b' : 'a';
  bad["events"][1]["inclusion_proof"][0] = h;
  EXPECT_NE(Python(bad.dump(), kCheckInclusion, &out), 0);
}

TEST_F(LogProofTest, BatchInclusionPathIsInTheProofOutput) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(4, /*batch_timestamps=*/true));
  const KuraRun r = Kura("log proof D00000003");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json p = json::parse(r.out);
  ASSERT_EQ(p["timestamp"]["kind"], "batch") << r.out;
  EXPECT_EQ(p["timestamp"]["batch"]["size"], 4);
  EXPECT_EQ(p["timestamp"]["batch"]["path"].size(), 2u);
  EXPECT_NE(p["timestamp"]["leaf_rule"].get<std::string>().find("SHA-256(original bytes)"),
            std::string::npos);
  // The leaf rule as printed gives the root the token signs.
  std::string out;
  ASSERT_EQ(Python(r.out,
                   "t = p['timestamp']\n"
                   "b = t['batch']\n"
                   "leaf = v.leaf_hash(H(t['document_sha256']))\n"
                   "fn, sn, r = b['index'], b['size'] - 1, leaf\n"
                   "for h in b['path']:\n"
                   "    if fn & 1 or fn == sn:\n"
                   "        r = v.node_hash(H(h), r)\n"
                   "        while not fn & 1 and fn != 0:\n"
                   "            fn >>= 1; sn >>= 1\n"
                   "    else:\n"
                   "        r = v.node_hash(r, H(h))\n"
                   "    fn >>= 1; sn >>= 1\n"
                   "print('root', r.hex())\n",
                   &out),
            0)
      << out;
  const std::string root = out.substr(out.find("root ") + 5, 64);
  ASSERT_EQ(Kura("token D00000003 --out d3.tsr").exit_code, 0);
  ASSERT_EQ(Kura("tsa-cert --out chain.pem").exit_code, 0);
  EXPECT_EQ(Sh("openssl ts -verify -digest " + root + " -in d3.tsr -CAfile chain.pem", &out), 0)
      << out;
}

TEST_F(LogProofTest, ConsistencyProofsVerifyWithAnRfc9162Verifier) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(5));
  ASSERT_EQ(Kura("log proof D00000005").exit_code, 0);  // publishes a checkpoint
  ASSERT_EQ(Kura("correct D00000001 --set total=1 --reason x").exit_code, 0);
  ASSERT_EQ(Kura("log proof D00000001").exit_code, 0);
  const KuraRun cps = Kura("log checkpoints --out cps");
  ASSERT_EQ(cps.exit_code, 0) << cps.err;
  std::vector<json> checkpoints;
  for (size_t a = 0, b; (b = cps.out.find('\n', a)) != std::string::npos; a = b + 1) {
    checkpoints.push_back(json::parse(cps.out.substr(a, b - a)));
  }
  ASSERT_GE(checkpoints.size(), 2u);
  std::string out;
  ASSERT_EQ(Kura("tsa-cert --out chain.pem").exit_code, 0);
  for (const json& c : checkpoints) {
    ASSERT_FALSE(c["tsr"].is_null());
    const std::string base = "cps/" + std::to_string(c["size"].get<uint64_t>());
    EXPECT_EQ(Sh("openssl ts -verify -data " + base + ".note -in " + base +
                     ".tsr -CAfile chain.pem",
                 &out),
              0)
        << out;
  }
  const json first = checkpoints.front(), last = checkpoints.back();
  const uint64_t n = last["size"];
  // Between the signed checkpoints (roots from the notes), and from every
  // smaller size to the last one.
  for (uint64_t old_size = 1; old_size <= n; ++old_size) {
    const KuraRun r = Kura("log consistency " + std::to_string(old_size) + " " + std::to_string(n));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json p = json::parse(r.out);
    p["note"] = last["note"];
    ASSERT_EQ(Python(p.dump(),
                     "size, root = note_root(p['note'])\n"
                     "assert size == p['new_size'] and root.hex() == p['new_root']\n"
                     "assert v.verify_consistency(p['old_size'], p['new_size'], H(p['old_root']), "
                     "root, [H(h) for h in p['consistency_proof']])\n"
                     "if p['consistency_proof']:\n"
                     "    bad = [H(h) for h in p['consistency_proof']]\n"
                     "    bad[0] = bytes(32)\n"
                     "    assert not v.verify_consistency(p['old_size'], p['new_size'], "
                     "H(p['old_root']), root, bad)\n",
                     &out),
              0)
        << old_size << ": " << out;
  }
  const KuraRun r = Kura("log consistency " + std::to_string(first["size"].get<uint64_t>()) + " " +
                         std::to_string(n));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out)["old_root"], first["root"]);
  EXPECT_EQ(Kura("log consistency 3 " + std::to_string(n + 5)).exit_code, 2);
  EXPECT_EQ(Kura("log consistency 4 3").exit_code, 2);
}

}  // namespace
