// What one writer's Ledger::Write changed in the tables whose changes the
// ledger records (every table but the ledger's own and those an owner
// replays itself, such as the archive's catalog). The writer's last event
// carries it as its "writes" member,
//
//   {"<table>": {"<key as hex>": "<SHA-256 of the new value, hex>" | null}}
//
// (null: the key was deleted), so that `kura verify` can replay the log over
// those tables and report any record that no event explains. For ledger/
// only.
#ifndef LEDGER_INTERNAL_WRITE_SET_H_
#define LEDGER_INTERNAL_WRITE_SET_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "signing/sha256.h"

namespace ledger {

struct WriteSet {
  /// table → key (raw bytes) → hash of the value, nullopt when deleted.
  std::map<std::string, std::map<std::string, std::optional<signing::Digest>>> tables;

  void Record(const std::string& table, std::string_view key,
              std::optional<std::string_view> value);
  bool empty() const { return tables.empty(); }
  nlohmann::json ToJson() const;
  /// InvalidArgument saying what is wrong if j is not a write set.
  static base::Result<WriteSet> FromJson(const nlohmann::json& j);
};

}  // namespace ledger

#endif  // LEDGER_INTERNAL_WRITE_SET_H_
