#include "signing/checkpoint.h"

#include <string>

#include <gtest/gtest.h>

#include "signing/internal/text_util.h"
#include "signing/merkle.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

const char kOrigin[] = "kura.example-city.lg.jp/log";

Digest Root8() {
  return Digest::FromHex(
             "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
      .value();
}

class CheckpointTest : public ::testing::Test {
 protected:
  CheckpointTest()
      : signer_(
            NoteSigner::FromPkcs8Pem(kOrigin, GenerateEd25519KeyPem().value())
                .value()) {}
  NoteSigner signer_;
};

TEST_F(CheckpointTest, BodyHasTheC2spLayout) {
  const Checkpoint cp{kOrigin, 8, Root8(), {}};
  // The root is the RFC 6962 eight-leaf root; its base64 is the one in
  // transparency-dev/merkle's testdata.
  EXPECT_EQ(FormatCheckpoint(cp).value(),
            std::string(kOrigin) +
                "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  const Checkpoint with_ext{kOrigin, 0, EmptyRoot(), {"ext one", "ext two"}};
  EXPECT_EQ(FormatCheckpoint(with_ext).value(),
            std::string(kOrigin) +
                "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n"
                "ext two\n");
}

TEST_F(CheckpointTest, ParseRoundTrips) {
  const Checkpoint cp{kOrigin, 18446744073709551615u, Root8(), {"a", "b c"}};
  base::Result<Checkpoint> parsed =
      ParseCheckpoint(FormatCheckpoint(cp).value());
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, cp);
}

TEST_F(CheckpointTest, ParseRejectsAnythingButTheExactForm) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  const std::string bad[] = {
      "",
      "o\n8\n" + root,          // no final newline
      "o\n8\n",                 // two lines
      "\n8\n" + root + "\n",    // empty origin
      "o\n08\n" + root + "\n",  // leading zero
      "o\n+8\n" + root + "\n",  // sign
      "o\n-8\n" + root + "\n", "o\n 8\n" + root + "\n", "o\n8x\n" + root + "\n",
      "o\n18446744073709551616\n" + root + "\n",               // 2^64
      "o\n8\nAAAA\n",                                          // root too short
      "o\n8\n" + root.substr(0, 43) + "\n",                    // no padding
      "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",  // non-zero pad
                                                               // bits
      "o\n8\n" + root + "\n\n",  // empty extension line
  };
  for (const std::string& text : bad) {
    EXPECT_EQ(ParseCheckpoint(text).status().code(), Code::kCorruption) << text;
  }
  EXPECT_OK(ParseCheckpoint("o\n0\n" + root + "\n"));
}

TEST_F(CheckpointTest, ParseErrorIsJapaneseAndShowsTheBadSizeWithoutControlCharacters) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  const base::Status s = ParseCheckpoint("o\n8\x1b[2J\n" + root + "\n").status();
  EXPECT_EQ(s.message(), "チェックポイント: 木のサイズ「8␛[2J」が正しくありません");
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

TEST_F(CheckpointTest, FormatRefusesMultiLineFields) {
  EXPECT_EQ(FormatCheckpoint({"", 1, Root8(), {}}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a\nb", 1, Root8(), {}}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a", 1, Root8(), {""}}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(FormatCheckpoint({"a", 1, Root8(), {"x\ny"}}).status().code(),
            Code::kInvalidArgument);
}

TEST_F(CheckpointTest, SignedCheckpointVerifies) {
  const Checkpoint cp{kOrigin, 8, Root8(), {}};
  base::Result<std::string> note = SignCheckpoint(cp, signer_);
  ASSERT_OK(note);
  EXPECT_NE(note->find("\n\n\xE2\x80\x94 " + std::string(kOrigin) + " "),
            std::string::npos);
  base::Result<Checkpoint> back =
      VerifyCheckpoint(*note, signer_.verifier(), kOrigin);
  ASSERT_OK(back);
  EXPECT_EQ(*back, cp);
  // Through the vkey string, as a third party would configure it.
  const NoteVerifier v =
      NoteVerifier::FromVerifierKey(signer_.verifier().VerifierKey()).value();
  EXPECT_OK(VerifyCheckpoint(*note, v));
}

TEST_F(CheckpointTest, TamperedOrForeignCheckpointsFail) {
  const std::string note =
      SignCheckpoint({kOrigin, 8, Root8(), {}}, signer_).value();
  std::string bigger = note;
  bigger.replace(bigger.find("\n8\n"), 3, "\n9\n");
  EXPECT_EQ(VerifyCheckpoint(bigger, signer_.verifier()).status().code(),
            Code::kCorruption);
  EXPECT_EQ(VerifyCheckpoint(note, signer_.verifier(), "other.example/log")
                .status()
                .code(),
            Code::kFailedPrecondition);
  const NoteSigner other =
      NoteSigner::FromPkcs8Pem(kOrigin, GenerateEd25519KeyPem().value())
          .value();
  EXPECT_EQ(VerifyCheckpoint(note, other.verifier()).status().code(),
            Code::kNotFound);
}

// The signature line checked with OpenSSL alone: the key ID is
// SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4] and the rest an Ed25519
// signature of the body that `openssl pkeyutl -verify -rawin` accepts.
TEST_F(CheckpointTest, SignatureLineVerifiesWithOpenssl) {
  kura_test::TempDir dir;
  const std::string note =
      SignCheckpoint({kOrigin, 8, Root8(), {}}, signer_).value();
  const size_t split = note.rfind("\n\n");
  const std::string body = note.substr(0, split + 1);
  const std::string line = note.substr(split + 2);
  const std::string prefix = "\xE2\x80\x94 " + std::string(kOrigin) + " ";
  ASSERT_EQ(line.substr(0, prefix.size()), prefix);
  const std::string blob =
      internal::Base64Decode(
          line.substr(prefix.size(), line.size() - prefix.size() - 1))
          .value();
  ASSERT_EQ(blob.size(), 68u);

  kura_test::WriteFileOrDie(dir.Join("body"), body);
  kura_test::WriteFileOrDie(dir.Join("sig"), blob.substr(4));
  kura_test::WriteFileOrDie(dir.Join("pub.pem"),
                            signer_.verifier().PublicKeyPem());
  std::string out;
  ASSERT_EQ(kura_test::Sh("openssl pkeyutl -verify -pubin -inkey " +
                              dir.Join("pub.pem") + " -rawin -in " +
                              dir.Join("body") + " -sigfile " + dir.Join("sig"),
                          &out),
            0)
      << out;
  EXPECT_NE(out.find("Signature Verified Successfully"), std::string::npos);

  // Key ID: the raw key is the last 32 bytes of OpenSSL's SPKI DER.
  ASSERT_EQ(kura_test::Sh("openssl pkey -pubin -in " + dir.Join("pub.pem") +
                          " -outform DER -out " + dir.Join("pub.der")),
            0);
  const std::string spki = kura_test::ReadFileOrDie(dir.Join("pub.der"));
  ASSERT_EQ(spki.size(), 44u);
  kura_test::WriteFileOrDie(dir.Join("idinput"),
                            std::string(kOrigin) + "\n\x01" + spki.substr(12));
  ASSERT_EQ(kura_test::Sh("openssl dgst -sha256 -binary " +
                          dir.Join("idinput") + " > " + dir.Join("id")),
            0);
  EXPECT_EQ(blob.substr(0, 4),
            kura_test::ReadFileOrDie(dir.Join("id")).substr(0, 4));

  // And a changed body no longer verifies.
  kura_test::WriteFileOrDie(dir.Join("body"),
                            body.substr(0, body.size() - 2) + "A\n");
  EXPECT_NE(kura_test::Sh("openssl pkeyutl -verify -pubin -inkey " +
                          dir.Join("pub.pem") + " -rawin -in " +
                          dir.Join("body") + " -sigfile " + dir.Join("sig")),
            0);
}

}  // namespace
}  // namespace signing
