// Runs the kura program in a scratch directory, for the compliance tests.
#ifndef TESTS_COMPLIANCE_KURA_CLI_H_
#define TESTS_COMPLIANCE_KURA_CLI_H_

#include <string>

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace kura_test {

struct KuraRun {
  int exit_code;
  std::string out;
  std::string err;
};

class KuraCliTest : public ::testing::Test {
 protected:
  KuraRun Kura(const std::string& args) {
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = RunCommand(
        "cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args + " 2>" + err_file, &out);
    return KuraRun{rc, out, ReadFileOrDie(err_file)};
  }
  // Runs a shell command in the scratch directory; output with stderr.
  int Sh(const std::string& command, std::string* out) {
    return RunCommand("cd " + dir_.path() + " && (" + command + ") 2>&1", out);
  }
  // A data directory with 総務課 and `count` demo invoices received.
  void InitWithInvoices(int count, bool batch_timestamps = false) {
    ASSERT_EQ(Kura("init").exit_code, 0);
    if (batch_timestamps) {
      std::string out;
      ASSERT_EQ(Sh("sed -i 's/^batch = false/batch = true/' kura-data/kura.toml", &out), 0);
    }
    ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
    ASSERT_EQ(Kura("demo-data --out inv --count " + std::to_string(count) + " --seed 7").exit_code,
              0);
    const KuraRun r = Kura("ingest --department somu inv/*");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir dir_;
};

}  // namespace kura_test

#endif  // TESTS_COMPLIANCE_KURA_CLI_H_
