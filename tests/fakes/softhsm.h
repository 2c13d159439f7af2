// A SoftHSM2 token for tests of keys in PKCS#11 (ledger/token_keys.h): a
// private token directory and configuration under a scratch directory,
// initialised with softhsm2-util, and SOFTHSM2_CONF pointing at it for this
// process and the programs it starts. SoftHSM2 is installed by
// scripts/install-deps.sh --test; without it the test FAILS (never skips).
#ifndef TESTS_FAKES_SOFTHSM_H_
#define TESTS_FAKES_SOFTHSM_H_

#include <string>

namespace kura_test {

inline constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";

class SoftHsmToken {
 public:
  /// Initialises the token `label` with user PIN `pin` in dir/softhsm.
  /// Check ok() (the test has already failed when it is false).
  SoftHsmToken(const std::string& dir, const std::string& label, const std::string& pin);
  ~SoftHsmToken();
  SoftHsmToken(const SoftHsmToken&) = delete;
  SoftHsmToken& operator=(const SoftHsmToken&) = delete;

  bool ok() const { return ok_; }
  const std::string& label() const { return label_; }
  const std::string& pin() const { return pin_; }
  /// "SOFTHSM2_CONF=<path>", to prefix a shell command with.
  std::string EnvAssignment() const { return "SOFTHSM2_CONF=" + conf_; }

 private:
  std::string conf_;
  std::string label_;
  std::string pin_;
  bool ok_ = false;
};

}  // namespace kura_test

#endif  // TESTS_FAKES_SOFTHSM_H_
