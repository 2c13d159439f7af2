// Keys in a PKCS#11 token (SoftHSM2): the built-in TSA's tokens and the
// log's checkpoints are signed by keys that never leave the token, and
// verify with openssl and the ordinary note verifier.
#include "signing/pkcs11.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "signing/checkpoint.h"
#include "signing/note.h"
#include "signing/sha256.h"
#include "signing/token_identity.h"
#include "signing/tsa.h"
#include "signing/tsa_verify.h"
#include "tests/fakes/softhsm.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

const base::Time kNotBefore = base::ParseRfc3339("2026-04-01T00:00:00Z").value();
const base::Time kNow = base::ParseRfc3339("2026-11-22T09:15:00.123456Z").value();

class Pkcs11Test : public ::testing::Test {
 protected:
  void SetUp() override {
    hsm_ = std::make_unique<kura_test::SoftHsmToken>(dir_.path(), "kura-test", "8642-pin");
    ASSERT_TRUE(hsm_->ok());
  }
  void TearDown() override { hsm_.reset(); }

  base::Result<std::shared_ptr<Pkcs11Token>> Open(const std::string& pin) {
    return Pkcs11Token::Open({kura_test::kSoftHsmModule, "kura-test", pin});
  }

  kura_test::TempDir dir_;
  std::unique_ptr<kura_test::SoftHsmToken> hsm_;
};

TEST_F(Pkcs11Test, TsaTokensAreSignedInTheTokenAndVerifyWithOpenssl) {
  std::shared_ptr<Pkcs11Token> token = Open("8642-pin").value();
  TsaIdentityOptions o;
  o.not_before = kNotBefore;
  const TsaIdentity id = GenerateTokenTsaIdentity(token, "ca", "tsa", o).value();
  EXPECT_TRUE(id.tsa_key_pem.empty());
  EXPECT_TRUE(id.ca_key_pem.empty());
  EXPECT_TRUE(token->HasPrivateKey("tsa").value());
  EXPECT_TRUE(token->HasPrivateKey("ca").value());
  const std::unique_ptr<Tsa> tsa = Tsa::CreateWithToken(token, "tsa", id.tsa_cert_pem).value();
  const std::string data = "請求書 2026年11月分";
  const std::string der = tsa->Timestamp(Sha256(data), 42, kNow).value();
  EXPECT_OK(VerifyTimestampResponse(der, Sha256(data), id.ChainPem()));

  kura_test::WriteFileOrDie(dir_.Join("data"), data);
  kura_test::WriteFileOrDie(dir_.Join("token.tsr"), der);
  kura_test::WriteFileOrDie(dir_.Join("chain.pem"), id.ChainPem());
  std::string out;
  EXPECT_EQ(kura_test::Sh("openssl ts -verify -data " + dir_.Join("data") + " -in " +
                              dir_.Join("token.tsr") + " -CAfile " + dir_.Join("chain.pem"),
                          &out),
            0)
      << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
  // The root CA's certificate signature was made in the token too.
  kura_test::WriteFileOrDie(dir_.Join("ca.pem"), id.ca_cert_pem);
  kura_test::WriteFileOrDie(dir_.Join("tsa.pem"), id.tsa_cert_pem);
  EXPECT_EQ(kura_test::Sh("openssl verify -attime 1795000000 -CAfile " + dir_.Join("ca.pem") +
                              " " + dir_.Join("tsa.pem"),
                          &out),
            0)
      << out;
  // Another data's digest does not verify.
  kura_test::WriteFileOrDie(dir_.Join("data"), data + "!");
  EXPECT_NE(kura_test::Sh("openssl ts -verify -data " + dir_.Join("data") + " -in " +
                              dir_.Join("token.tsr") + " -CAfile " + dir_.Join("chain.pem"),
                          &out),
            0);
}

TEST_F(Pkcs11Test, CheckpointsAreSignedWithTheTokensEd25519Key) {
  std::shared_ptr<Pkcs11Token> token = Open("8642-pin").value();
  const std::string pub = token->GenerateKey(TokenKeyType::kEd25519, "log").value();
  ASSERT_EQ(pub.size(), 32u);
  const NoteSigner signer = NoteSigner::FromToken("kura/test", token, "log").value();
  EXPECT_EQ(signer.verifier().public_key(), pub);
  Checkpoint cp{"kura/test", 7, Sha256("root"), {}};
  const std::string note = SignCheckpoint(cp, signer).value();
  // The verifier knows only the published vkey string.
  const NoteVerifier verifier =
      NoteVerifier::FromVerifierKey(signer.verifier().VerifierKey()).value();
  EXPECT_EQ(VerifyCheckpoint(note, verifier, "kura/test").value(), cp);
  std::string changed = note;
  changed[changed.find("\n7\n") + 1] = '8';
  EXPECT_EQ(VerifyCheckpoint(changed, verifier).status().code(), Code::kCorruption);
}

TEST_F(Pkcs11Test, KeysAreNotGeneratedTwiceAndMissingKeysAreNamed) {
  std::shared_ptr<Pkcs11Token> token = Open("8642-pin").value();
  ASSERT_OK(token->GenerateKey(TokenKeyType::kEcdsaP256, "tsa"));
  EXPECT_EQ(token->GenerateKey(TokenKeyType::kEd25519, "tsa").status().code(),
            Code::kAlreadyExists);
  const base::Status missing = NoteSigner::FromToken("x", token, "nothing").status();
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_NE(missing.message().find("nothing"), std::string::npos) << missing.message();
  // A P-256 key is not taken for an Ed25519 one.
  EXPECT_EQ(NoteSigner::FromToken("x", token, "tsa").status().code(),
            Code::kFailedPrecondition);
}

TEST_F(Pkcs11Test, WrongPinAndUnknownTokenGiveJapaneseErrors) {
  const base::Status wrong = Open("0000").status();
  EXPECT_EQ(wrong.code(), Code::kPermissionDenied);
  EXPECT_NE(wrong.message().find("PIN が違います"), std::string::npos) << wrong.message();
  EXPECT_EQ(wrong.message().find("0000"), std::string::npos) << "the PIN is never shown";
  const base::Status unknown =
      Pkcs11Token::Open({kura_test::kSoftHsmModule, "no-such-token", "8642-pin"}).status();
  EXPECT_EQ(unknown.code(), Code::kNotFound);
  EXPECT_NE(unknown.message().find("no-such-token"), std::string::npos);
  EXPECT_EQ(Pkcs11Token::Open({"/nonexistent/lib.so", "kura-test", "8642-pin"}).status().code(),
            Code::kInvalidArgument);
  // The right PIN still works afterwards.
  EXPECT_OK(Open("8642-pin"));
}

}  // namespace
}  // namespace signing
