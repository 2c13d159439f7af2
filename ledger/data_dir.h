// The data directory: everything kura keeps, in one place.
//
//   kura-data/
//     FORMAT        "kura-data-format 1": refused if newer or unknown
//     LOCK          held for a moment by a process creating missing keys
//     kura.toml     configuration
//     catalog/      LMDB environment
//     objects/      received originals (storage::BlobStore)
//     keys/         TSA and log signing keys (0700)
//
// Thread safety: pure functions over a FileSystem.
#ifndef LEDGER_DATA_DIR_H_
#define LEDGER_DATA_DIR_H_

#include <string>

#include "base/file_system.h"

namespace ledger {

inline constexpr int kDataFormatVersion = 1;

struct DataDirLayout {
  std::string root;
  std::string format() const { return base::JoinPath(root, "FORMAT"); }
  std::string lock() const { return base::JoinPath(root, "LOCK"); }
  std::string config() const { return base::JoinPath(root, "kura.toml"); }
  std::string catalog() const { return base::JoinPath(root, "catalog"); }
  std::string objects() const { return base::JoinPath(root, "objects"); }
  std::string keys() const { return base::JoinPath(root, "keys"); }
};

/// Creates the directory tree and FORMAT; writes default_config to kura.toml
/// if there is none. Idempotent; an existing directory of another format is
/// refused as by CheckDataDir.
base::Status InitDataDir(base::FileSystem* fs, const DataDirLayout& layout,
                         const std::string& default_config);

/// FailedPrecondition with a message for people if root is not a kura data
/// directory, or one written by a newer or unknown version of kura.
base::Status CheckDataDir(base::FileSystem* fs, const DataDirLayout& layout);

}  // namespace ledger

#endif  // LEDGER_DATA_DIR_H_
