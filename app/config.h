// Config: kura.toml, the data directory's configuration, read with toml++.
// Unknown keys are ignored (a newer kura may add some); a wrong type or an
// out-of-range value is an error naming the key.
//
// Thread safety: values.
#ifndef APP_CONFIG_H_
#define APP_CONFIG_H_

#include <cstdint>
#include <string>

#include "base/file_system.h"
#include "base/result.h"

namespace app {

struct Config {
  std::string listen = "127.0.0.1:8080";  ///< [server] listen
  uint64_t max_file_mb = 100;             ///< [ingest] max_file_mb
  uint32_t batch_files = 256;             ///< [ingest] batch_files (group commit size)
  uint64_t batch_mb = 64;                 ///< [ingest] batch_mb
};

/// The kura.toml that `kura init` writes: every setting with its default.
std::string DefaultConfigText();

/// Parses kura.toml text; InvalidArgument names the key or line at fault.
base::Result<Config> ParseConfig(std::string_view text, std::string_view source_name);

/// Reads path; a missing file gives the defaults.
base::Result<Config> LoadConfig(base::FileSystem* fs, const std::string& path);

}  // namespace app

#endif  // APP_CONFIG_H_
