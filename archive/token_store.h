// TokenStore: the RFC 3161 time-stamp tokens of documents and checkpoints.
//
//   tokens       seq          → TokenRecord JSON (which TSR, how it covers the document)
//   tsr          sha256 (hex) → the DER TimeStampResp exactly as issued
//   tsa_pending  seq          → PendingStamp JSON (documents still waiting for a token)
//
// In "each" mode a token's imprint is the document's SHA-256, so `openssl ts
// -verify -data ORIGINAL` checks it directly. In batch mode one token covers
// the RFC 6962 root over a batch's document digests (leaf = SHA-256(0x00 ‖
// 32-byte digest)), and each document keeps its inclusion path (RFC 4998 in
// spirit).
//
// Thread safety: methods run inside the caller's transaction.
#ifndef ARCHIVE_TOKEN_STORE_H_
#define ARCHIVE_TOKEN_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/time.h"
#include "ledger/ledger.h"
#include "signing/sha256.h"
#include "storage/lmdb_env.h"

namespace archive {

struct TokenRecord {
  std::string tsr_sha256;  ///< key of the DER in the tsr table
  base::Time gen_time;
  std::string serial_hex;
  std::string tsa;  ///< "builtin" or the TSA's URL
  bool batch = false;
  // Batch mode only:
  uint64_t batch_index = 0;
  uint64_t batch_size = 0;
  std::vector<signing::Digest> batch_path;
};
nlohmann::json ToJson(const TokenRecord& t);
base::Result<TokenRecord> TokenRecordFromJson(const nlohmann::json& j);

struct PendingStamp {
  uint64_t seq = 0;
  base::Time since;
  uint32_t attempts = 0;
  base::Time next_attempt;
  std::string last_error;
};

class TokenStore {
 public:
  /// Opens the tables through ledger (which must outlive the store); the
  /// DER responses live in the ledger's tsr table.
  static base::Result<TokenStore> Open(ledger::Ledger* ledger);

  /// Stores the DER under its SHA-256 (once) and returns that hex.
  base::Result<std::string> PutResponse(storage::WriteTxn& txn, std::string_view der) const;
  base::Result<std::string> GetResponse(const storage::ReadTxn& txn,
                                        std::string_view tsr_sha256) const;

  base::Status PutToken(storage::WriteTxn& txn, uint64_t seq, const TokenRecord& t) const;
  /// NotFound if the document has no token (yet).
  base::Result<TokenRecord> GetToken(const storage::ReadTxn& txn, uint64_t seq) const;

  base::Status PutPending(storage::WriteTxn& txn, const PendingStamp& p) const;
  base::Status DeletePending(storage::WriteTxn& txn, uint64_t seq) const;
  /// The document's pending stamp; NotFound if it is not waiting for one.
  base::Result<PendingStamp> GetPending(const storage::ReadTxn& txn, uint64_t seq) const;
  /// Pending stamps whose next attempt is at or before now (all if now is
  /// nullopt), at most limit.
  base::Result<std::vector<PendingStamp>> ListPending(const storage::ReadTxn& txn,
                                                      std::optional<base::Time> now,
                                                      size_t limit) const;
  base::Result<uint64_t> PendingCount(const storage::ReadTxn& txn) const;
  base::Result<uint64_t> TokenCount(const storage::ReadTxn& txn) const;

 private:
  TokenStore() = default;
  const ledger::Ledger* ledger_ = nullptr;
  storage::Table tokens_, pending_;
};

}  // namespace archive

#endif  // ARCHIVE_TOKEN_STORE_H_
