// The built-in TSA's certificate roll (ledger/tsa_roll.h): not before the
// margin; then a new key and certificate from the same root, the old
// certificate kept in keys/tsa-retired/, and tokens of the old and the new
// key both verifying with plain `openssl ts -verify` against the root and
// against the chain of all certificates; a roll interrupted between its
// renames is finished by the next.
#include "ledger/tsa_roll.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "ledger/data_dir.h"
#include "ledger/keys.h"
#include "signing/sha256.h"
#include "signing/tsa.h"
#include "signing/tsa_cert_info.h"
#include "tests/fakes/test_util.h"

namespace ledger {
namespace {

class TsaRollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    layout_.root = dir_.Join("kura-data");
    ASSERT_OK(InitDataDir(fs_.get(), layout_, ""));
    // openssl checks certificates at the real time: start a little before it.
    ASSERT_OK(EnsureKeys(fs_.get(), layout_, now_ - std::chrono::hours(24 * 10)));
  }
  // A token of the data directory's current TSA key over data, at t.
  std::string Stamp(const std::string& data, base::Time t) {
    auto keys = LoadKeys(fs_.get(), layout_, /*with_private=*/true);
    EXPECT_OK(keys);
    auto tsa = signing::Tsa::Create(keys->tsa_key_pem, keys->tsa_cert_pem);
    EXPECT_OK(tsa);
    auto der = (*tsa)->Timestamp(signing::Sha256(data), std::nullopt, t);
    EXPECT_OK(der);
    return der.ok() ? *der : "";
  }
  // `openssl ts -verify` of the token over data against the PEM file ca.
  int OpensslVerify(const std::string& name, const std::string& data, const std::string& der,
                    const std::string& ca, std::string* out) {
    const std::string tsr = dir_.Join(name + ".tsr");
    kura_test::WriteFileOrDie(tsr, der);
    return kura_test::RunCommand("openssl ts -verify -digest " + signing::Sha256(data).Hex() +
                                     " -in " + tsr + " -CAfile " + ca + " 2>&1",
                                 out);
  }
  std::string Key(const char* name) { return base::JoinPath(layout_.keys(), name); }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  DataDirLayout layout_;
  const base::Time now_ = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
};

TEST_F(TsaRollTest, NotBeforeTheMarginThenANewCertificateAndOldTokensStillVerify) {
  const std::string old_token = Stamp("old document", now_ - std::chrono::hours(24 * 9));
  const std::string old_cert = kura_test::ReadFileOrDie(Key("tsa.crt"));
  const std::string old_key = kura_test::ReadFileOrDie(Key("tsa.key"));

  auto early = RollTsaCertificateIfDue(fs_.get(), layout_, now_ - std::chrono::hours(24 * 2),
                                       std::chrono::days(365), /*force=*/false);
  ASSERT_OK(early);
  EXPECT_FALSE(early->rolled);  // 11 years left
  EXPECT_EQ(kura_test::ReadFileOrDie(Key("tsa.crt")), old_cert);

  auto roll = RollTsaCertificateIfDue(fs_.get(), layout_, now_ - std::chrono::hours(24 * 2),
                                      std::chrono::days(365 * 12), /*force=*/false);
  ASSERT_OK(roll);
  ASSERT_TRUE(roll->rolled);
  EXPECT_NE(roll->new_serial, roll->old_serial);
  EXPECT_NE(kura_test::ReadFileOrDie(Key("tsa.crt")), old_cert);
  EXPECT_NE(kura_test::ReadFileOrDie(Key("tsa.key")), old_key);  // the old key is gone
  EXPECT_EQ(kura_test::ReadFileOrDie(Key(("tsa-retired/" + roll->old_serial + ".crt").c_str())),
            old_cert);
  auto retired = RetiredTsaCertificatesPem(fs_.get(), layout_);
  ASSERT_OK(retired);
  EXPECT_EQ(*retired, old_cert);
  // The new certificate ends no later than the root (20 years).
  auto ca = signing::PemCertificateValidity(kura_test::ReadFileOrDie(Key("ca.crt")));
  ASSERT_OK(ca);
  EXPECT_LE(roll->new_not_after, ca->not_after);

  const std::string new_token = Stamp("new document", now_ - std::chrono::hours(1));
  auto signer = signing::TokenSignerValidity(new_token);
  ASSERT_OK(signer);
  EXPECT_EQ(signer->serial_hex, roll->new_serial);
  // The export's cache keys a token by the certificates and signer ids it
  // carries: the same for two tokens of one certificate, not across the
  // roll, and it names the same signers as decoding each token.
  const std::string another = Stamp("another document", now_ - std::chrono::minutes(30));
  EXPECT_NE(signing::TokenSignerKey(new_token), "");
  EXPECT_EQ(signing::TokenSignerKey(new_token), signing::TokenSignerKey(another));
  EXPECT_NE(signing::TokenSignerKey(new_token), signing::TokenSignerKey(old_token));
  EXPECT_EQ(signing::TokenSignerKey("not a token"), "");
  signing::TokenSignerCache cache;
  for (int round = 0; round < 2; ++round) {
    for (const std::string* token : {&old_token, &new_token, &another}) {
      auto cached = cache.Get(*token);
      ASSERT_OK(cached);
      EXPECT_EQ(cached->serial_hex,
                token == &old_token ? roll->old_serial : roll->new_serial);
      EXPECT_EQ(cached->pem, signing::TokenSignerValidity(*token)->pem);
    }
  }
  EXPECT_FALSE(cache.Get("not a token").ok());

  const std::string all = dir_.Join("all.pem");
  kura_test::WriteFileOrDie(all, kura_test::ReadFileOrDie(Key("tsa.crt")) + *retired +
                                     kura_test::ReadFileOrDie(Key("ca.crt")));
  for (const std::string& anchors : {Key("ca.crt"), all}) {
    std::string out;
    EXPECT_EQ(OpensslVerify("old", "old document", old_token, anchors, &out), 0) << out;
    EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
    EXPECT_EQ(OpensslVerify("new", "new document", new_token, anchors, &out), 0) << out;
    EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
    // And a token checked against other data fails: the check can fail.
    EXPECT_NE(OpensslVerify("other", "other document", new_token, anchors, &out), 0) << out;
  }
  // The ledger's own keys load as before.
  EXPECT_OK(LoadKeys(fs_.get(), layout_, /*with_private=*/true));
}

TEST_F(TsaRollTest, ARollInterruptedBetweenItsRenamesIsFinishedByTheNext) {
  const std::string old_cert = kura_test::ReadFileOrDie(Key("tsa.crt"));
  // A crash after the new key was renamed into place, before the certificate.
  auto first = RollTsaCertificateIfDue(fs_.get(), layout_, now_, std::chrono::days(1),
                                       /*force=*/true);
  ASSERT_OK(first);
  const std::string new_cert = kura_test::ReadFileOrDie(Key("tsa.crt"));
  ASSERT_OK(fs_->Rename(Key("tsa.crt"), Key("tsa.crt.next")));
  kura_test::WriteFileOrDie(Key("tsa.crt"), old_cert);
  ASSERT_OK(fs_->RemoveFile(base::JoinPath(layout_.keys(), "tsa-retired/" + first->old_serial +
                                                                ".crt")));
  kura_test::WriteFileOrDie(Key("tsa.key.next"), kura_test::ReadFileOrDie(Key("tsa.key")));

  auto next = RollTsaCertificateIfDue(fs_.get(), layout_, now_, std::chrono::days(1), false);
  ASSERT_OK(next);
  EXPECT_FALSE(next->rolled);
  EXPECT_EQ(kura_test::ReadFileOrDie(Key("tsa.crt")), new_cert);
  EXPECT_EQ(*RetiredTsaCertificatesPem(fs_.get(), layout_), old_cert);
  auto keys = LoadKeys(fs_.get(), layout_, true);
  ASSERT_OK(keys);
  EXPECT_OK(signing::Tsa::Create(keys->tsa_key_pem, keys->tsa_cert_pem));
}

}  // namespace
}  // namespace ledger
