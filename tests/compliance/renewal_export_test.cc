// The time-stamp renewal in the evidence bag: each renewed document's chain
// and the renewal token are exported; the bag's own Python verifier checks
// every path, `openssl ts -verify` checks the renewal token over the root
// against the exported TSA certificates, and a changed path is reported.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/compliance/kura_cli.h"

namespace {

using kura_test::KuraRun;
using nlohmann::json;

class RenewalExportTest : public kura_test::KuraCliTest {};

TEST_F(RenewalExportTest, ChainsCheckWithPythonAndOpenssl) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  const KuraRun renew = Kura("retention renew --force");
  ASSERT_EQ(renew.exit_code, 0) << renew.err;
  EXPECT_EQ(json::parse(renew.out)["renewal"]["tree_size"], 3);
  ASSERT_EQ(Kura("export --out bag").exit_code, 0);

  const json chain = json::parse(
      kura_test::ReadFileOrDie(dir_.Join("bag/data/timestamps/renewals/D00000002.chain.json")));
  ASSERT_EQ(chain["links"].size(), 2u);
  EXPECT_EQ(chain["links"][0]["token"], "data/timestamps/D00000002.tsr");
  EXPECT_EQ(chain["links"][1]["token"], "data/timestamps/renewals/T00000001.tsr");
  std::string out;
  ASSERT_EQ(Sh("cd bag && python3 verify_proofs.py", &out), 0) << out;
  EXPECT_NE(out.find("renewals/D00000003.chain.json: openssl ts -verify -digest " +
                     chain["links"][1]["covered"].get<std::string>()),
            std::string::npos)
      << out;
  ASSERT_EQ(Sh("cd bag && openssl ts -verify -digest " +
                   chain["links"][1]["covered"].get<std::string>() +
                   " -in data/timestamps/renewals/T00000001.tsr"
                   " -CAfile data/timestamps/tsa-certificates.pem",
               &out),
            0)
      << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos);
  EXPECT_EQ(Kura("verify-export bag").exit_code, 0);

  // A changed path is reported by the Python verifier, naming the file.
  json bad = chain;
  std::string h = bad["links"][1]["path"][0];
  h[0] = h[0] == '0' ? '1' : '0';
  bad["links"][1]["path"][0] = h;
  kura_test::WriteFileOrDie(dir_.Join("bag/data/timestamps/renewals/D00000002.chain.json"),
                            bad.dump(2));
  EXPECT_EQ(Sh("cd bag && python3 verify_proofs.py", &out), 1) << out;
  EXPECT_NE(out.find("NG data/timestamps/renewals/D00000002.chain.json: link 1"), std::string::npos)
      << out;
}

}  // namespace
