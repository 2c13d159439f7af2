// CheckpointStore: the signed checkpoints of the event log (C2SP
// tlog-checkpoint, Ed25519), each with an RFC 3161 token over the signed
// note's SHA-256.
//
//   checkpoints  size (u64) → {"note": signed note text, "tsr": sha256 hex | null,
//                              "created_at": RFC 3339}
//
// Thread safety: methods run inside the caller's transaction.
#ifndef LEDGER_CHECKPOINT_STORE_H_
#define LEDGER_CHECKPOINT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "storage/lmdb_env.h"

namespace ledger {

struct StoredCheckpoint {
  uint64_t size = 0;
  std::string note;  ///< the signed note, as signed
  std::optional<std::string> tsr_sha256;
  base::Time created_at;
};

class CheckpointStore {
 public:
  static base::Result<CheckpointStore> Open(storage::Env* env);

  /// AlreadyExists if a checkpoint of that size is stored.
  base::Status Put(storage::WriteTxn& txn, const StoredCheckpoint& c) const;
  /// Records the time-stamp token (its key in the tsr table) of the stored
  /// checkpoint of that size, which is taken after the checkpoint is stored
  /// (outside any transaction). NotFound if there is no such checkpoint.
  base::Status AttachToken(storage::WriteTxn& txn, uint64_t size,
                           const std::string& tsr_sha256) const;
  /// The checkpoint of exactly that size; NotFound if none.
  base::Result<StoredCheckpoint> Get(const storage::ReadTxn& txn, uint64_t size) const;
  /// The checkpoint with the largest size; NotFound if there is none.
  base::Result<StoredCheckpoint> Latest(const storage::ReadTxn& txn) const;
  /// Every checkpoint, in size order.
  base::Status ForEach(const storage::ReadTxn& txn,
                       const std::function<base::Status(const StoredCheckpoint&)>& fn) const;

 private:
  explicit CheckpointStore(storage::Table table) : table_(std::move(table)) {}
  storage::Table table_;
};

}  // namespace ledger

#endif  // LEDGER_CHECKPOINT_STORE_H_
