// The Retention's state and the record helpers its .cc files share
// (retention.cc: open, reads, extension; disposal.cc: holds and disposal).
// Not for use outside retention/.
#ifndef RETENTION_INTERNAL_RETENTION_REP_H_
#define RETENTION_INTERNAL_RETENTION_REP_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/result.h"
#include "retention/retention.h"
#include "storage/lmdb_env.h"

namespace retention {

/// What the holds and open requests say, read once per transaction.
struct Standing {
  std::map<std::string, std::vector<std::string>> holds;  ///< document → active hold ids
  std::map<std::string, DisposalRequest> open;            ///< document → open request
};

struct Retention::Rep {
  archive::Archive* archive = nullptr;
  const base::Clock* clock = nullptr;
  Schedule schedule;
  /// Absent when opened read-only before a writer created them: empty.
  std::optional<storage::Table> extensions, holds, disposals, meta;

  base::Date Today() const { return base::Date::InJapan(clock->Now()); }

  /// The holds (query holds searched in txn, so a document received after
  /// the hold was placed is covered) and the open requests.
  base::Result<Standing> Load(const storage::ReadTxn& txn) const;
  /// Where document id stands as txn sees it.
  base::Result<DocumentRetention> Evaluate(const storage::ReadTxn& txn, std::string_view id,
                                           const Standing& standing) const;
  /// Every hold record (active and released), in id order.
  base::Result<std::vector<Hold>> AllHolds(const storage::ReadTxn& txn) const;
  base::Result<std::vector<DisposalRequest>> AllRequests(const storage::ReadTxn& txn) const;
  /// The next number of a sequence in rt_meta ("hold", "request").
  base::Result<uint64_t> NextSeq(storage::WriteTxn& txn, std::string_view kind) const;
  /// The tables, or FailedPrecondition when read-only.
  base::Status Writable() const;
};

/// The record under key, parsed; nullopt if absent.
base::Result<std::optional<nlohmann::json>> GetJson(const storage::ReadTxn& txn,
                                                    const std::optional<storage::Table>& table,
                                                    std::string_view key);
base::Result<Hold> HoldFromJson(const nlohmann::json& j);
base::Result<DisposalRequest> RequestFromJson(const nlohmann::json& j);
/// "H00000001" / "R00000001".
std::string FormatId(char prefix, uint64_t n);

}  // namespace retention

#endif  // RETENTION_INTERNAL_RETENTION_REP_H_
