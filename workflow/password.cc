// Argon2id through Botan 2. Botan throws; every call is wrapped here.
#include <exception>

#include <botan/argon2.h>
#include <botan/system_rng.h>

#include "workflow/organization.h"

namespace workflow {

base::Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  if (password.size() < 8) {
    return base::Status::InvalidArgument("パスワードは8文字以上にしてください");
  }
  try {
    Botan::System_RNG rng;
    return Botan::argon2_generate_pwhash(password.data(), password.size(), rng, params.parallelism,
                                         params.memory_kib, params.iterations, /*y=Argon2id*/ 2);
  } catch (const std::exception& e) {
    return base::Status::Internal(
        std::string("パスワードのハッシュ（Argon2id）を計算できません: ") + e.what());
  }
}

bool CheckPassword(std::string_view password, const std::string& hash) {
  try {
    return Botan::argon2_check_pwhash(password.data(), password.size(), hash);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace workflow
