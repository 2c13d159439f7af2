// kura.toml [keys] → the ledger's PKCS#11 options: reads the PIN from the
// environment variable or the file the configuration names (never from
// kura.toml itself).
#ifndef APP_KEY_TOKEN_H_
#define APP_KEY_TOKEN_H_

#include <string>

#include "app/config.h"
#include "base/file_system.h"
#include "base/result.h"
#include "ledger/token_keys.h"

namespace app {

/// Disabled options when keys.pkcs11_module is empty. InvalidArgument if
/// the PIN's environment variable is unset or empty, or its file cannot be
/// read or is empty; a relative pin_file is relative to data_dir.
base::Result<ledger::TokenKeyOptions> KeyTokenOptionsFor(base::FileSystem* fs,
                                                         const std::string& data_dir,
                                                         const KeysConfig& keys);

}  // namespace app

#endif  // APP_KEY_TOKEN_H_
