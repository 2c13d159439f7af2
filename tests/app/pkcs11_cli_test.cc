// kura with its private keys in a PKCS#11 token (SoftHSM2), the way an
// administrator sets it up: kura.toml [keys] before `kura init`, the PIN in
// an environment variable. Tokens and checkpoints are signed in the token,
// verify with openssl and the log's verifier key, and keys/ holds no
// private key.
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "signing/checkpoint.h"
#include "signing/note.h"
#include "tests/fakes/softhsm.h"
#include "tests/fakes/test_util.h"

namespace {

struct KuraRun {
  int exit_code;
  std::string out;
  std::string err;
};

class Pkcs11CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hsm_ = std::make_unique<kura_test::SoftHsmToken>(dir_.path(), "kura", "5731-pin");
    ASSERT_TRUE(hsm_->ok());
    std::filesystem::create_directories(dir_.Join("kura-data"));
    kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"),
                              std::string("[keys]\npkcs11_module = \"") +
                                  kura_test::kSoftHsmModule +
                                  "\"\ntoken_label = \"kura\"\npin_env = \"KURA_TEST_PIN\"\n");
  }
  KuraRun Kura(const std::string& args, const std::string& pin = "5731-pin") {
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = kura_test::RunCommand("cd " + dir_.path() + " && " + hsm_->EnvAssignment() +
                                             " KURA_TEST_PIN='" + pin + "' " + KURA_PROGRAM +
                                             " " + args + " 2>" + err_file,
                                         &out);
    return KuraRun{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  int Sh(const std::string& command, std::string* out) {
    return kura_test::RunCommand("cd " + dir_.path() + " && " + command + " 2>&1", out);
  }

  kura_test::TempDir dir_;
  std::unique_ptr<kura_test::SoftHsmToken> hsm_;
};

TEST_F(Pkcs11CliTest, TokensAndCheckpointsAreSignedInTheTokenAndVerify) {
  const KuraRun init = Kura("init");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("inv.pdf"), "%PDF-1.4 請求書 2026年11月分");
  const KuraRun ingest = Kura("ingest --department somu inv.pdf");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  // No private key on disk: only certificates, the verifier key and the
  // note of where the keys are.
  for (const auto& e : std::filesystem::directory_iterator(dir_.Join("kura-data/keys"))) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "ca.crt" || name == "tsa.crt" || name == "log.vkey" ||
                name == "pkcs11.txt")
        << name;
    EXPECT_EQ(kura_test::ReadFileOrDie(e.path().string()).find("PRIVATE KEY"), std::string::npos)
        << name;
  }

  // The document's token verifies with plain openssl.
  ASSERT_EQ(Kura("token D00000001 --out inv.tsr").exit_code, 0);
  ASSERT_EQ(Kura("tsa-cert --out chain.pem").exit_code, 0);
  std::string out;
  EXPECT_EQ(Sh("openssl ts -verify -data inv.pdf -in inv.tsr -CAfile chain.pem", &out), 0) << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;

  // Every checkpoint verifies with the log's published verifier key, and
  // its time-stamp token with openssl.
  ASSERT_EQ(Kura("log checkpoints --out cps").exit_code, 0);
  std::string vkey = kura_test::ReadFileOrDie(dir_.Join("kura-data/keys/log.vkey"));
  vkey.pop_back();  // "\n"
  const signing::NoteVerifier verifier = signing::NoteVerifier::FromVerifierKey(vkey).value();
  int checkpoints = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.Join("cps"))) {
    if (e.path().extension() != ".note") continue;
    ++checkpoints;
    const std::string note = kura_test::ReadFileOrDie(e.path().string());
    EXPECT_OK(signing::VerifyCheckpoint(note, verifier, verifier.name())) << note;
    const std::string tsr = e.path().stem().string() + ".tsr";
    EXPECT_EQ(Sh("openssl ts -verify -data cps/" + e.path().filename().string() + " -in cps/" +
                     tsr + " -CAfile chain.pem",
                 &out),
              0)
        << out;
  }
  EXPECT_GE(checkpoints, 1);

  const KuraRun verify = Kura("verify --quiet", "");  // readers need no PIN
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(Pkcs11CliTest, WrongPinIsRefusedWithAClearJapaneseError) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  const KuraRun wrong = Kura("department add --code somu --name 総務課", "0000");
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("PIN が違います"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("0000"), std::string::npos) << wrong.err;
  const KuraRun unset = Kura("department add --code somu --name 総務課", "");
  EXPECT_NE(unset.exit_code, 0);
  EXPECT_NE(unset.err.find("KURA_TEST_PIN"), std::string::npos) << unset.err;
}

TEST_F(Pkcs11CliTest, ADirectoryWithTokenKeysRefusesToRunWithoutTheToken) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"), "");
  const KuraRun run = Kura("department add --code somu --name 総務課");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("[keys]"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("kura-data/keys/tsa.key")));
}

TEST_F(Pkcs11CliTest, ThePinIsNeverAcceptedInKuraToml) {
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"),
                            std::string("[keys]\npkcs11_module = \"") + kura_test::kSoftHsmModule +
                                "\"\ntoken_label = \"kura\"\npin = \"5731-pin\"\n");
  const KuraRun init = Kura("init");
  EXPECT_EQ(init.exit_code, 2);
  EXPECT_NE(init.err.find("PIN を kura.toml に書かないでください"), std::string::npos) << init.err;
}

}  // namespace
