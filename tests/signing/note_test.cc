#include "signing/note.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

nlohmann::json GoExample() {
  return nlohmann::json::parse(kura_test::ReadFileOrDie(
      std::string(KURA_SOURCE_DIR) +
      "/tests/data/signing/note/go_sumdb_example.json"));
}

// The published example of golang.org/x/mod/sumdb/note, reproduced byte for
// byte: same key ID, same vkey, same signature.
TEST(NoteTest, ReproducesTheGoSumdbExample) {
  const nlohmann::json ex = GoExample();
  base::Result<NoteSigner> signer =
      NoteSigner::FromSignerKey(ex["skey"].get<std::string>());
  ASSERT_OK(signer);
  EXPECT_EQ(signer->verifier().VerifierKey(), ex["vkey"].get<std::string>());
  EXPECT_EQ(signer->verifier().key_id(), 0xc74f20a3u);
  base::Result<std::string> note = signer->Sign(ex["text"].get<std::string>());
  ASSERT_OK(note);
  EXPECT_EQ(*note, ex["note"].get<std::string>());
}

TEST(NoteTest, OpensTheGoSumdbExample) {
  const nlohmann::json ex = GoExample();
  base::Result<NoteVerifier> v =
      NoteVerifier::FromVerifierKey(ex["vkey"].get<std::string>());
  ASSERT_OK(v);
  EXPECT_EQ(v->name(), "PeterNeumann");
  base::Result<std::string> text = OpenNote(ex["note"].get<std::string>(), *v);
  ASSERT_OK(text);
  EXPECT_EQ(*text, ex["text"].get<std::string>());
}

TEST(NoteTest, ChangedTextFailsWithInvalidSignature) {
  const nlohmann::json ex = GoExample();
  const NoteVerifier v =
      NoteVerifier::FromVerifierKey(ex["vkey"].get<std::string>()).value();
  std::string note = ex["note"].get<std::string>();
  note.replace(note.find("cryptography"), 12, "cryptographY");
  const base::Result<std::string> text = OpenNote(note, v);
  EXPECT_EQ(text.status().code(), Code::kCorruption);
  EXPECT_NE(text.status().message().find("の署名が正しくありません"), std::string::npos);
}

TEST(NoteTest, SignaturesByUnknownKeysAreIgnored) {
  const NoteSigner a =
      NoteSigner::FromPkcs8Pem("a.example/log", GenerateEd25519KeyPem().value())
          .value();
  const NoteSigner b = NoteSigner::FromPkcs8Pem("b.example/witness",
                                                GenerateEd25519KeyPem().value())
                           .value();
  const std::string text = "hello\n";
  const std::string by_a = a.Sign(text).value();
  const std::string by_b = b.Sign(text).value();
  // Both signature lines under one text, as a cosigned note has them.
  const std::string both = by_a + by_b.substr(text.size() + 1);
  EXPECT_EQ(OpenNote(both, a.verifier()).value(), text);
  EXPECT_EQ(OpenNote(both, b.verifier()).value(), text);
  EXPECT_EQ(OpenNote(by_b, a.verifier()).status().code(), Code::kNotFound);

  // Same name, other key: ignored, not a failure.
  const NoteSigner a2 =
      NoteSigner::FromPkcs8Pem("a.example/log", GenerateEd25519KeyPem().value())
          .value();
  EXPECT_EQ(OpenNote(a2.Sign(text).value(), a.verifier()).status().code(),
            Code::kNotFound);
}

TEST(NoteTest, MalformedNotesAreCorruption) {
  const NoteSigner s =
      NoteSigner::FromPkcs8Pem("kura.test/log", GenerateEd25519KeyPem().value())
          .value();
  const std::string good = s.Sign("a\nb\n").value();
  ASSERT_OK(OpenNote(good, s.verifier()));
  const std::string sig_line = good.substr(good.rfind("\n\n") + 2);
  const std::string sig_b64 = sig_line.substr(sig_line.find(' ', 4) + 1);
  const std::string bad[] = {
      "",
      "a\nb\n",                                     // no signatures
      "a\nb\n\n",                                   // blank line, no signatures
      good.substr(0, good.size() - 1),              // no final newline
      "a\n\x01\n\n" + sig_line,                     // control character
      "a\n\xff\n\n" + sig_line,                     // not UTF-8
      "a\nb\n\n- kura.test/log " + sig_b64,         // hyphen, not em dash
      "a\nb\n\n\xE2\x80\x94 kura.test/log\n",       // no signature
      "a\nb\n\n\xE2\x80\x94 kura.test/log AAAA\n",  // too short
      "a\nb\n\n\xE2\x80\x94 kura.test/log " + sig_b64.substr(1),  // not base64
      "a\nb\n\n\xE2\x80\x94 kura+test " + sig_b64,  // '+' in the name
  };
  for (const std::string& note : bad) {
    EXPECT_EQ(OpenNote(note, s.verifier()).status().code(), Code::kCorruption)
        << note;
  }
}

TEST(NoteTest, TooManySignaturesAreRefused) {
  const NoteSigner s =
      NoteSigner::FromPkcs8Pem("kura.test/log", GenerateEd25519KeyPem().value())
          .value();
  const std::string good = s.Sign("x\n").value();
  const std::string line = good.substr(3);
  std::string many = "x\n\n";
  for (int i = 0; i < 101; ++i) many += line;
  EXPECT_EQ(ParseNote(many).status().code(), Code::kCorruption);
  std::string hundred = "x\n\n";
  for (int i = 0; i < 100; ++i) hundred += line;
  EXPECT_OK(ParseNote(hundred));
}

TEST(NoteTest, TextMustBeAValidNoteText) {
  const NoteSigner s =
      NoteSigner::FromPkcs8Pem("kura.test/log", GenerateEd25519KeyPem().value())
          .value();
  EXPECT_EQ(s.Sign("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.Sign("no newline").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.Sign("tab\there\n").status().code(), Code::kInvalidArgument);
  // A text with an empty line inside is fine: the last blank line splits.
  const std::string note = s.Sign("a\n\nb\n").value();
  EXPECT_EQ(OpenNote(note, s.verifier()).value(), "a\n\nb\n");
  // UTF-8 text and key names are fine.
  const NoteSigner jp = NoteSigner::FromPkcs8Pem(
                            "蔵.example/記録", GenerateEd25519KeyPem().value())
                            .value();
  EXPECT_EQ(OpenNote(jp.Sign("請求書\n").value(), jp.verifier()).value(),
            "請求書\n");
}

TEST(NoteTest, KeyNamesAreChecked) {
  const std::string pem = GenerateEd25519KeyPem().value();
  for (const char* name : {"", "a b", "a+b", "a\tb",
                           "a\xE3\x80\x80"
                           "b"}) {  // U+3000
    EXPECT_EQ(NoteSigner::FromPkcs8Pem(name, pem).status().code(),
              Code::kInvalidArgument)
        << name;
  }
}

TEST(NoteTest, VerifierKeysAreCheckedStrictly) {
  const std::string vkey = GoExample()["vkey"].get<std::string>();
  ASSERT_OK(NoteVerifier::FromVerifierKey(vkey));
  // Every proper substring and every single-byte change must be refused.
  for (size_t i = 0; i < vkey.size(); ++i) {
    for (size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(NoteVerifier::FromVerifierKey(vkey.substr(i, j - i)).ok())
          << vkey.substr(i, j - i);
    }
  }
  for (size_t i = 0; i < vkey.size(); ++i) {
    std::string k = vkey;
    k[i] = static_cast<char>(k[i] + 1);
    EXPECT_FALSE(NoteVerifier::FromVerifierKey(k).ok()) << k;
  }
}

TEST(NoteTest, NonEd25519KeysAreRefused) {
  kura_test::TempDir dir;
  ASSERT_EQ(kura_test::Sh("openssl genpkey -algorithm EC -pkeyopt "
                          "ec_paramgen_curve:P-256 -out " +
                          dir.Join("ec.pem")),
            0);
  EXPECT_EQ(NoteSigner::FromPkcs8Pem(
                "x", kura_test::ReadFileOrDie(dir.Join("ec.pem")))
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(NoteSigner::FromPkcs8Pem("x", "not a key").status().code(),
            Code::kInvalidArgument);
}

// OpenSSL reads our keys and checks our signatures; we read OpenSSL's keys
// and check its signatures.
TEST(NoteTest, InteroperatesWithOpensslEd25519) {
  kura_test::TempDir dir;
  const std::string pem = GenerateEd25519KeyPem().value();
  ASSERT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  kura_test::WriteFileOrDie(dir.Join("ours.pem"), pem);
  const NoteSigner ours =
      NoteSigner::FromPkcs8Pem("kura.test/log", pem).value();

  std::string out;
  ASSERT_EQ(kura_test::Sh(
                "openssl pkey -in " + dir.Join("ours.pem") + " -pubout", &out),
            0);
  EXPECT_EQ(out, ours.verifier().PublicKeyPem());

  const std::string msg = "kura.test/log\n42\nAAAA\n";
  kura_test::WriteFileOrDie(dir.Join("msg"), msg);
  kura_test::WriteFileOrDie(dir.Join("sig"), ours.SignRaw(msg).value());
  kura_test::WriteFileOrDie(dir.Join("pub.pem"),
                            ours.verifier().PublicKeyPem());
  ASSERT_EQ(kura_test::Sh("openssl pkeyutl -verify -pubin -inkey " +
                              dir.Join("pub.pem") + " -rawin -in " +
                              dir.Join("msg") + " -sigfile " + dir.Join("sig"),
                          &out),
            0)
      << out;
  EXPECT_NE(out.find("Signature Verified Successfully"), std::string::npos);

  ASSERT_EQ(kura_test::Sh("openssl genpkey -algorithm ed25519 -out " +
                          dir.Join("theirs.pem") +
                          " && openssl pkeyutl -sign -inkey " +
                          dir.Join("theirs.pem") + " -rawin -in " +
                          dir.Join("msg") + " -out " + dir.Join("tsig")),
            0);
  const NoteSigner theirs =
      NoteSigner::FromPkcs8Pem("other",
                               kura_test::ReadFileOrDie(dir.Join("theirs.pem")))
          .value();
  const std::string their_sig = kura_test::ReadFileOrDie(dir.Join("tsig"));
  EXPECT_TRUE(theirs.verifier().VerifySignature(msg, their_sig));
  EXPECT_EQ(theirs.SignRaw(msg).value(),
            their_sig);  // Ed25519 is deterministic
  EXPECT_FALSE(theirs.verifier().VerifySignature(msg + "x", their_sig));
}

}  // namespace
}  // namespace signing
