#include "tests/fakes/softhsm.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "tests/fakes/test_util.h"

namespace kura_test {

SoftHsmToken::SoftHsmToken(const std::string& dir, const std::string& label,
                           const std::string& pin)
    : conf_(dir + "/softhsm/softhsm2.conf"), label_(label), pin_(pin) {
  if (!std::filesystem::exists(kSoftHsmModule)) {
    ADD_FAILURE() << kSoftHsmModule
                  << " がありません: scripts/install-deps.sh --test で softhsm2 を入れてください";
    return;
  }
  std::filesystem::create_directories(dir + "/softhsm/tokens");
  WriteFileOrDie(conf_, "directories.tokendir = " + dir +
                            "/softhsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n");
  ::setenv("SOFTHSM2_CONF", conf_.c_str(), 1);
  std::string out;
  const int rc = RunCommand("softhsm2-util --init-token --free --label '" + label +
                                "' --pin '" + pin + "' --so-pin 'so-" + pin + "' 2>&1",
                            &out);
  if (rc != 0) {
    ADD_FAILURE() << "softhsm2-util --init-token failed (" << rc << "): " << out;
    return;
  }
  ok_ = true;
}

SoftHsmToken::~SoftHsmToken() { ::unsetenv("SOFTHSM2_CONF"); }

}  // namespace kura_test
