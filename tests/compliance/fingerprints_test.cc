// The values an auditor pins (compliance/fingerprints.h): what `kura init`
// and `kura keys fingerprints` print must be exactly what openssl prints
// for the CA certificate in keys/ and in an exported bag, and the bag's
// bag-info.txt, report.pdf and VERIFY.txt instructions must carry them.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/time.h"
#include "compliance/fingerprints.h"
#include "signing/tsa_identity.h"
#include "tests/compliance/kura_cli.h"

namespace compliance {
namespace {

using nlohmann::json;

class FingerprintsTest : public kura_test::KuraCliTest {
 protected:
  // Runs `openssl x509 -noout -fingerprint -sha256` on what `input` writes
  // to its stdout (a shell command) and returns the value after '='.
  std::string Openssl(const std::string& input) {
    std::string out;
    EXPECT_EQ(Sh(input + " | openssl x509 -noout -fingerprint -sha256", &out), 0) << out;
    const size_t eq = out.find('=');
    if (eq == std::string::npos) return "";
    std::string value = out.substr(eq + 1);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return value;
  }
};

TEST_F(FingerprintsTest, InitPrintsWhatOpensslPrintsForTheCaCertificate) {
  const kura_test::KuraRun init = Kura("init");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string ca = Openssl("cat kura-data/keys/ca.crt");
  ASSERT_EQ(ca.size(), 95u) << ca;  // 32 bytes as "AB:" … "EF"
  EXPECT_NE(init.out.find(ca), std::string::npos) << init.out;
  const std::string vkey = kura_test::ReadFileOrDie(dir_.Join("kura-data/keys/log.vkey"));
  const std::string vkey_line = vkey.substr(0, vkey.find('\n'));
  EXPECT_NE(init.out.find(vkey_line), std::string::npos) << init.out;
  EXPECT_NE(init.out.find("別の経路"), std::string::npos) << init.out;
  // Again later, for programs too; a second init prints the same.
  const kura_test::KuraRun keys = Kura("keys fingerprints --format json");
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  const json j = json::parse(keys.out);
  EXPECT_EQ(j["verifier_key"], vkey_line);
  ASSERT_EQ(j["tsa_roots"].size(), 1u);
  EXPECT_EQ(j["tsa_roots"][0]["sha256"], ca);
  EXPECT_NE(Kura("init").out.find(ca), std::string::npos);

  // The exported bag: its chain's root, bag-info.txt, report.pdf and the
  // VERIFY.txt instruction all show the same value.
  ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
  ASSERT_EQ(Kura("demo-data --out inv --count 2 --seed 3").exit_code, 0);
  ASSERT_EQ(Kura("ingest --department somu inv/*").exit_code, 0);
  const kura_test::KuraRun exported = Kura("export --out bag");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(Openssl("awk '/BEGIN CERT/{c=\"\"} {c=c $0 \"\\n\"} /END CERT/{last=c} "
                    "END{printf \"%s\", last}' bag/data/timestamps/tsa-chain.pem"),
            ca);
  const std::string info = kura_test::ReadFileOrDie(dir_.Join("bag/bag-info.txt"));
  EXPECT_NE(info.find("Kura-TSA-Root-SHA256: " + ca + "\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Kura-Log-Verifier-Key: " + vkey_line + "\n"), std::string::npos) << info;
  std::string text;
  ASSERT_EQ(Sh("pdftotext -layout bag/data/report.pdf -", &text), 0) << text;
  EXPECT_NE(text.find(ca), std::string::npos) << text;
  const std::string verify = kura_test::ReadFileOrDie(dir_.Join("bag/VERIFY.txt"));
  const size_t awk = verify.find("    awk '/BEGIN CERT/");
  ASSERT_NE(awk, std::string::npos);
  std::string printed;
  ASSERT_EQ(Sh("cd bag && " + verify.substr(awk + 4, verify.find('\n', awk) - awk - 4), &printed), 0)
      << printed;
  EXPECT_NE(printed.find(ca), std::string::npos) << printed;
  EXPECT_EQ(Kura("verify-export bag").exit_code, 0);
}

TEST(FingerprintsUnitTest, RootsAreTheSelfSignedOrUnissuedCertificates) {
  signing::TsaIdentityOptions o;
  o.not_before = *base::ParseRfc3339("2026-04-01T00:00:00Z");
  auto id = signing::GenerateTsaIdentity(o);
  ASSERT_TRUE(id.ok());
  auto chain = RootFingerprints(id->ChainPem());
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  ASSERT_EQ(chain->size(), 1u);
  EXPECT_NE((*chain)[0].subject.find("kura time-stamping root CA"), std::string::npos);
  EXPECT_EQ((*chain)[0].not_after, "2046-04-01");
  // The root alone, or twice: the same one anchor.
  auto twice = RootFingerprints(id->ca_cert_pem + "\n" + id->ChainPem());
  ASSERT_TRUE(twice.ok());
  ASSERT_EQ(twice->size(), 1u);
  EXPECT_EQ((*twice)[0].sha256, (*chain)[0].sha256);
  // A TSA certificate without its issuer is the anchor an auditor sees.
  auto alone = RootFingerprints(id->tsa_cert_pem);
  ASSERT_TRUE(alone.ok());
  ASSERT_EQ(alone->size(), 1u);
  EXPECT_NE(alone->at(0).sha256, (*chain)[0].sha256);
  EXPECT_NE(alone->at(0).subject.find("built-in time-stamping authority"), std::string::npos);
  // Nothing, or something that is not a certificate.
  EXPECT_TRUE(RootFingerprints("").status().IsInvalidArgument());
  EXPECT_TRUE(
      RootFingerprints("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
          .status()
          .IsInvalidArgument());
}

}  // namespace
}  // namespace compliance
