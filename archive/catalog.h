// Catalog: the LMDB tables that describe the archive's documents, and the
// typed reads and writes on them. All methods run inside a transaction the
// caller opened with storage::Env::Write or Read; none opens its own.
//
//   documents   seq                → Document (JSON)
//   receipts    seq, receipt no.   → Receipt (JSON)
//   versions    seq, version no.   → Version (JSON)
//   by_sha256   64 hex digits      → seq
//   meta        name               → value ("format", "next_seq")
//   disposed    seq                → Tombstone (JSON): the document's bytes
//                                    were removed (Archive::Dispose)
//   idx_unremoved  seq → sha256 hex  (derived) disposed documents whose
//                                    bytes may still be on disk
//
// and the search indexes of archive/search_index.h, updated in the same
// transaction as the records.
//
// Thread safety: as for the transaction passed in.
#ifndef ARCHIVE_CATALOG_H_
#define ARCHIVE_CATALOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/document.h"
#include "archive/search.h"
#include "archive/search_index.h"
#include "base/result.h"
#include "ledger/ledger.h"
#include "storage/dated_index.h"
#include "storage/decoded_cache.h"
#include "storage/snapshot_memo.h"
#include "storage/lmdb_env.h"

namespace archive {

class Catalog {
 public:
  /// Opens the tables through the ledger (creating them unless it is
  /// read-only) and checks the catalog's format; a catalog of another format
  /// is FailedPrecondition.
  static base::Result<Catalog> Open(ledger::Ledger* ledger);

  /// The next unused document seq, reserved by this transaction.
  base::Result<uint64_t> AllocateSeq(storage::WriteTxn& txn) const;

  base::Result<std::optional<uint64_t>> FindBySha256(const storage::ReadTxn& txn,
                                                     std::string_view hex) const;
  base::Result<Document> GetDocument(const storage::ReadTxn& txn, uint64_t seq) const;
  base::Result<std::vector<Receipt>> GetReceipts(const storage::ReadTxn& txn, uint64_t seq) const;
  base::Result<std::vector<Version>> GetVersions(const storage::ReadTxn& txn, uint64_t seq) const;
  /// The stored bytes of every receipt (resp. version) record of seq, in
  /// number order, exactly as written (canonical JSON); the views are valid
  /// while txn is open. For checks that must see every byte (Archive::Verify).
  base::Result<std::vector<std::string_view>> ReceiptRecords(const storage::ReadTxn& txn,
                                                             uint64_t seq) const;
  base::Result<std::vector<std::string_view>> VersionRecords(const storage::ReadTxn& txn,
                                                             uint64_t seq) const;
  base::Result<Version> GetVersion(const storage::ReadTxn& txn, uint64_t seq,
                                   uint32_t number) const;

  /// Writes a new document with its first receipt and version. Returns
  /// SearchRowDigest of the search-index row written for it, for the event.
  base::Result<signing::Digest> InsertDocument(storage::WriteTxn& txn, const Document& doc,
                                               const Receipt& receipt,
                                               const Version& version) const;
  /// Adds a receipt to an existing document and bumps its receipt count.
  base::Status AddReceipt(storage::WriteTxn& txn, Document* doc, const Receipt& receipt) const;
  /// Adds a version and makes it current. REQUIRES: version.number ==
  /// doc->current_version + 1. Returns SearchRowDigest of its row.
  base::Result<signing::Digest> AddVersion(storage::WriteTxn& txn, Document* doc,
                                           const Version& version) const;

  /// The tombstone of a disposed document; nullopt while it is kept.
  base::Result<std::optional<Tombstone>> GetTombstone(const storage::ReadTxn& txn,
                                                      uint64_t seq) const;
  /// Its stored bytes (canonical JSON, valid while txn is open), for
  /// Archive::Verify; nullopt while kept.
  base::Result<std::optional<std::string_view>> TombstoneRecord(const storage::ReadTxn& txn,
                                                                uint64_t seq) const;
  /// Records the tombstone of document seq. REQUIRES: a write of the archive.
  base::Status PutTombstone(storage::WriteTxn& txn, uint64_t seq, const Tombstone& t) const;
  base::Result<uint64_t> TombstoneCount(const storage::ReadTxn& txn) const;
  /// The disposed documents whose bytes may still be on disk (seq → sha256
  /// hex), kept beside the tombstones; Archive::Dispose takes a document
  /// out once its bytes are gone. Empty when opened read-only before a
  /// writer created it.
  base::Result<std::vector<std::pair<uint64_t, std::string>>> Unremoved(
      const storage::ReadTxn& txn) const;
  base::Status SetUnremoved(storage::WriteTxn& txn, uint64_t seq, const std::string& sha256,
                            bool unremoved) const;
  /// Calls fn for every tombstone in seq order until fn fails.
  base::Status ScanTombstones(
      const storage::ReadTxn& txn,
      const std::function<base::Status(uint64_t seq, const Tombstone&)>& fn) const;
  /// Calls fn for documents with seq >= from, in seq order, until fn fails
  /// or returns false in *more. Corruption if a record's seq is not its key.
  base::Status ScanDocuments(
      const storage::ReadTxn& txn, uint64_t from,
      const std::function<base::Status(const Document&, bool* more)>& fn) const;
  base::Result<uint64_t> DocumentCount(const storage::ReadTxn& txn) const;
  base::Result<uint64_t> Sha256IndexCount(const storage::ReadTxn& txn) const;

  /// The search index, or null when the archive was opened read-only
  /// before a writer built it.
  const SearchIndex* search_index() const { return search_ ? &*search_ : nullptr; }

  /// Documents to put in the search index: all of them when it is empty
  /// (data written by a kura before the index existed), else 0.
  base::Result<uint64_t> CountUnindexed(const storage::ReadTxn& txn) const;
  /// Indexes up to limit documents from seq `from` on (from == 1 starts
  /// afresh); *next is where to go on, 0 when done.
  base::Status IndexDocuments(storage::WriteTxn& txn, uint64_t from, size_t limit, uint64_t* next,
                              size_t* indexed) const;

  /// Runs a search (archive/search.h). FailedPrecondition if the archive was
  /// opened read-only before a writer built its search index.
  base::Result<SearchResult> Search(const storage::ReadTxn& txn, const SearchQuery& query) const;

  /// The documents no module above has taken up (Archive::pending), or null
  /// when the archive was opened read-only before a writer created it.
  const storage::DatedIndex* pending() const { return pending_ ? &*pending_ : nullptr; }
  /// Puts document seq in the pending index (pending) or takes it out.
  base::Status SetPending(storage::WriteTxn& txn, uint64_t seq, bool pending) const;
  /// Rebuilds the pending index: every document for which taken_up says
  /// false.
  base::Status RebuildPending(
      storage::WriteTxn& txn,
      const std::function<base::Result<bool>(std::string_view id)>& taken_up) const;

 private:
  Catalog() = default;
  base::Status PutDocument(storage::WriteTxn& txn, const Document& doc) const;

  // Decoded records (storage/decoded_cache.h), shared by the copies of
  // this catalog: list pages read the same records on every request.
  struct Caches {
    storage::DecodedCache<Document> documents{16 << 20};
    storage::DecodedCache<Receipt> receipts{16 << 20};
    storage::DecodedCache<Version> versions{64 << 20};
    // A search's count per snapshot (the list's total on every page).
    storage::SnapshotMemo<uint64_t> search_counts{1024};
  };

  storage::Table documents_, receipts_, versions_, by_sha256_, meta_;
  std::shared_ptr<Caches> caches_ = std::make_shared<Caches>();
  std::optional<SearchIndex> search_;
  std::optional<storage::DatedIndex> pending_;
  /// Absent when opened read-only before a writer created it (no document
  /// was disposed then).
  std::optional<storage::Table> disposed_, unremoved_;
};

}  // namespace archive

#endif  // ARCHIVE_CATALOG_H_
