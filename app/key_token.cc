#include "app/key_token.h"

#include <cstdlib>

namespace app {

using base::Result;
using base::Status;

namespace {

Result<std::string> ReadPin(base::FileSystem* fs, const std::string& data_dir,
                            const KeysConfig& keys) {
  if (!keys.pin_env.empty()) {
    const char* pin = std::getenv(keys.pin_env.c_str());
    if (pin == nullptr || *pin == '\0') {
      return Status::InvalidArgument("環境変数 " + keys.pin_env +
                                     " に PKCS#11 トークンの PIN が設定されていません（kura.toml の "
                                     "[keys] pin_env）");
    }
    return std::string(pin);
  }
  const std::string& f = keys.pin_file;
  const std::string path = f[0] == '/' ? f : base::JoinPath(data_dir, f);
  auto text = fs->ReadFile(path, 4096);
  if (!text.ok()) {
    return text.status().WithContext("PKCS#11 トークンの PIN のファイル（kura.toml の [keys] "
                                      "pin_file）を読めません");
  }
  std::string pin = *text;
  while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
  if (pin.empty()) {
    return Status::InvalidArgument(path + " が空です: PKCS#11 トークンの PIN を書いてください");
  }
  return pin;
}

}  // namespace

Result<ledger::TokenKeyOptions> KeyTokenOptionsFor(base::FileSystem* fs,
                                                   const std::string& data_dir,
                                                   const KeysConfig& keys) {
  ledger::TokenKeyOptions o;
  if (keys.pkcs11_module.empty()) return o;
  o.module_path = keys.pkcs11_module;
  o.token_label = keys.token_label;
  o.ca_key_label = keys.ca_key_label;
  o.tsa_key_label = keys.tsa_key_label;
  o.log_key_label = keys.log_key_label;
  ASSIGN_OR_RETURN(o.pin, ReadPin(fs, data_dir, keys));
  return o;
}

}  // namespace app
