#include "signing/tsa_identity.h"

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

// 2025-04-01T00:00:00Z, the start of fiscal 2025; 2026-01-01 as "now" for
// `openssl verify -attime`.
const base::Time kNotBefore =
    base::ParseRfc3339("2025-04-01T00:00:00Z").value();
constexpr char kAttime2026[] = "1767225600";

TsaIdentityOptions Options() {
  TsaIdentityOptions o;
  o.organization = "Example City 会計課";
  o.not_before = kNotBefore;
  return o;
}

class TsaIdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    identity_ = new TsaIdentity(GenerateTsaIdentity(Options()).value());
  }
  static void TearDownTestSuite() { delete identity_; }

  std::string X509Text(const std::string& pem) {
    kura_test::WriteFileOrDie(dir_.Join("c.pem"), pem);
    std::string out;
    EXPECT_EQ(kura_test::Sh("openssl x509 -noout -text -nameopt utf8 -in " +
                                dir_.Join("c.pem"),
                            &out),
              0);
    return out;
  }

  static TsaIdentity* identity_;
  kura_test::TempDir dir_;
};
TsaIdentity* TsaIdentityTest::identity_ = nullptr;

TEST_F(TsaIdentityTest, TsaCertificateHasExactlyOneCriticalTimeStampingEku) {
  const std::string text = X509Text(identity_->tsa_cert_pem);
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex("X509v3 Extended Key Usage: critical\\n\\s+Time Stamping\\n")))
      << text;
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex("X509v3 Key Usage: critical\\n\\s+Digital Signature\\n")))
      << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex("X509v3 Basic Constraints: critical\\n\\s+CA:FALSE")))
      << text;
  EXPECT_NE(text.find("X509v3 Authority Key Identifier"), std::string::npos);
  EXPECT_NE(text.find("ASN1 OID: prime256v1"), std::string::npos);
  EXPECT_NE(text.find("Signature Algorithm: ecdsa-with-SHA256"),
            std::string::npos);
  EXPECT_NE(text.find("Example City 会計課"), std::string::npos);
}

TEST_F(TsaIdentityTest, ValidityCoversElevenYears) {
  const std::string tsa = X509Text(identity_->tsa_cert_pem);
  EXPECT_NE(tsa.find("Not Before: Apr  1 00:00:00 2025 GMT"), std::string::npos)
      << tsa;
  EXPECT_NE(tsa.find("Not After : Apr  1 00:00:00 2036 GMT"), std::string::npos)
      << tsa;
  const std::string ca = X509Text(identity_->ca_cert_pem);
  EXPECT_NE(ca.find("Not After : Apr  1 00:00:00 2045 GMT"), std::string::npos)
      << ca;
  EXPECT_TRUE(std::regex_search(ca, std::regex("CA:TRUE, pathlen:0")));
  EXPECT_TRUE(std::regex_search(
      ca,
      std::regex(
          "X509v3 Key Usage: critical\\n\\s+Certificate Sign, CRL Sign\\n")));
}

TEST_F(TsaIdentityTest, ChainVerifiesForTheTimestampPurpose) {
  kura_test::WriteFileOrDie(dir_.Join("ca.pem"), identity_->ca_cert_pem);
  kura_test::WriteFileOrDie(dir_.Join("tsa.pem"), identity_->tsa_cert_pem);
  std::string out;
  EXPECT_EQ(kura_test::Sh("openssl verify -attime " + std::string(kAttime2026) +
                              " -purpose timestampsign -CAfile " +
                              dir_.Join("ca.pem") + " " + dir_.Join("tsa.pem"),
                          &out),
            0)
      << out;
  // And the TSA key is a P-256 PKCS#8 key matching the certificate.
  kura_test::WriteFileOrDie(dir_.Join("tsa.key"), identity_->tsa_key_pem);
  EXPECT_EQ(identity_->tsa_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  std::string a, b;
  ASSERT_EQ(kura_test::Sh(
                "openssl pkey -in " + dir_.Join("tsa.key") + " -pubout", &a),
            0);
  ASSERT_EQ(
      kura_test::Sh(
          "openssl x509 -in " + dir_.Join("tsa.pem") + " -noout -pubkey", &b),
      0);
  EXPECT_EQ(a, b);
}

TEST_F(TsaIdentityTest, SerialsAreRandomAndDistinct) {
  const TsaIdentity other = GenerateTsaIdentity(Options()).value();
  std::string s1, s2;
  kura_test::WriteFileOrDie(dir_.Join("a.pem"), identity_->tsa_cert_pem);
  kura_test::WriteFileOrDie(dir_.Join("b.pem"), other.tsa_cert_pem);
  ASSERT_EQ(kura_test::Sh(
                "openssl x509 -noout -serial -in " + dir_.Join("a.pem"), &s1),
            0);
  ASSERT_EQ(kura_test::Sh(
                "openssl x509 -noout -serial -in " + dir_.Join("b.pem"), &s2),
            0);
  EXPECT_NE(s1, s2);
  EXPECT_TRUE(std::regex_match(s1, std::regex("serial=[89A-F][0-9A-F]{31}\\n")))
      << s1;
}

TEST_F(TsaIdentityTest, BadOptionsAreRefused) {
  TsaIdentityOptions o = Options();
  o.organization.clear();
  EXPECT_EQ(GenerateTsaIdentity(o).status().code(), Code::kInvalidArgument);
  o = Options();
  o.ca_validity_years = 10;
  EXPECT_EQ(GenerateTsaIdentity(o).status().code(), Code::kInvalidArgument);
  o = Options();
  o.tsa_validity_years = 0;
  EXPECT_EQ(GenerateTsaIdentity(o).status().code(), Code::kInvalidArgument);
}

TEST_F(TsaIdentityTest, RenewalIssuesANewTsaUnderTheSameRoot) {
  TsaIdentityOptions o = Options();
  o.not_before = base::ParseRfc3339("2026-01-01T00:00:00Z").value();
  base::Result<TsaIdentity> renewed =
      RenewTsaIdentity(identity_->ca_key_pem, identity_->ca_cert_pem, o);
  ASSERT_OK(renewed);
  EXPECT_EQ(renewed->ca_cert_pem, identity_->ca_cert_pem);
  EXPECT_NE(renewed->tsa_key_pem, identity_->tsa_key_pem);
  kura_test::WriteFileOrDie(dir_.Join("ca.pem"), identity_->ca_cert_pem);
  kura_test::WriteFileOrDie(dir_.Join("new.pem"), renewed->tsa_cert_pem);
  std::string out;
  EXPECT_EQ(
      kura_test::Sh(
          "openssl verify -attime 1770000000 -purpose timestampsign -CAfile " +
              dir_.Join("ca.pem") + " " + dir_.Join("new.pem"),
          &out),
      0)
      << out;

  const TsaIdentity stranger = GenerateTsaIdentity(Options()).value();
  EXPECT_EQ(RenewTsaIdentity(stranger.ca_key_pem, identity_->ca_cert_pem, o)
                .status()
                .code(),
            Code::kInvalidArgument);
  o.not_before =
      base::ParseRfc3339("2040-01-01T00:00:00Z").value();  // root ends 2045
  EXPECT_EQ(RenewTsaIdentity(identity_->ca_key_pem, identity_->ca_cert_pem, o)
                .status()
                .code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace signing
