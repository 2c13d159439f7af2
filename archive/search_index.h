// SearchIndex: the secondary indexes behind archive/search.h, kept in the
// catalog's LMDB environment and written in the same transaction as the
// record they index (Catalog calls Put).
//
// Every version of every document is one row. Each index is a table whose
// key orders the rows for one kind of condition, and whose value is the same
// fixed 48-byte "filter tuple" (issue date, receive date, amount, type,
// format, flags, dictionary ids of counterparty, department and
// registration number, seq, version), so that every other condition is
// checked from the index entry itself, without a lookup:
//
//   s_ix_date    issue date, amount, seq, version   (date, and date+amount
//                                                     by skipping within days)
//   s_ix_amount  amount, seq, version
//   s_ix_cp      normalised counterparty, issue date, seq, version
//   s_ix_regno   registration number, issue date, seq, version
//   s_ix_dept    department, issue date, seq, version
//   s_ix_kind    type, format, issue date, seq, version
//   s_ix_invno   invoice number (NFKC), seq, version
//   s_ix_recv    receive date, seq, version
//   s_rows       seq, version → the row (for display and text matching)
//   s_terms      kind, string → dictionary id;  kind, id → string
//   s_days       issue date → number of current rows of that date
//
// A query is planned by counting, up to a small cap, the entries each usable
// index would visit, and driving by the cheapest; a query whose order is that
// of the driving index streams, others keep only the best offset+limit rows
// in a heap. Memory is bounded by offset + limit, never by the result size.
// A query on the issue date alone (the auditor's "everything of this
// period") is counted and offset from s_days, so that a page deep into a
// large result costs a walk over days, not over the documents before it.
//
// Thread safety: methods run inside the caller's transaction.
#ifndef ARCHIVE_SEARCH_INDEX_H_
#define ARCHIVE_SEARCH_INDEX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/search.h"
#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "invoice/invoice_fields.h"
#include "signing/sha256.h"
#include "storage/lmdb_env.h"

namespace archive {

struct Document;
struct Receipt;
struct Version;

/// One indexed version of a document.
struct SearchRow {
  uint64_t seq = 0;
  uint32_t version = 0;
  std::optional<base::Date> issue_date;
  std::optional<base::Decimal> amount;
  std::string currency;
  std::string counterparty;  ///< as written
  std::string registration_number;
  std::string department;
  std::string type;    ///< invoice | credit_note | unknown
  std::string format;  ///< reader format
  std::string invoice_number;
  std::string file_name;
  base::Date received{1970, 1, 1};
  bool needs_metadata = false;
  std::vector<std::string> line_descriptions;
};

/// The row for a document's version: fields from the version (a person's
/// corrections included), receipt data from the first receipt.
SearchRow SearchRowFor(const Document& doc, const Receipt& first, const Version& version);

/// The members of a version's fields that SearchRowFor reads (and all that
/// Archive::Verify extracts from the log to re-derive a row).
inline constexpr invoice::Field kSearchRowFields[] = {
    invoice::Field::kCounterparty,       invoice::Field::kCurrency,
    invoice::Field::kDocumentType,       invoice::Field::kFormat,
    invoice::Field::kInvoiceNumber,      invoice::Field::kIssueDate,
    invoice::Field::kLineDescriptions,   invoice::Field::kNeedsMetadata,
    invoice::Field::kRegistrationNumber, invoice::Field::kTaxInclusiveTotal,
    invoice::Field::kTotal};

/// SHA-256 of the s_rows record SearchIndex::Put writes for this row: what
/// Archive::Verify compares the stored record with.
signing::Digest SearchRowDigest(const SearchRow& row);

class SearchIndex {
 public:
  /// Opens (creating, unless read-only) the tables with open_table (the
  /// catalog passes Ledger::OpenReplayedTable: the archive replays them).
  using TableOpener = std::function<base::Result<storage::Table>(const std::string& name)>;
  static base::Result<SearchIndex> Open(const TableOpener& open_table);

  /// Indexes row as the current version of its document. previous, if
  /// given, is the row of the version it replaces: it stays indexed, as
  /// history.
  base::Status Put(storage::WriteTxn& txn, const SearchRow& row,
                   const SearchRow* previous) const;

  /// Runs the query; InvalidArgument for a bad query or cursor.
  base::Result<SearchResult> Search(const storage::ReadTxn& txn, const SearchQuery& query) const;

  /// Empties every table of the index (before rebuilding it).
  base::Status Clear(storage::WriteTxn& txn) const;

  /// Number of indexed rows (versions).
  base::Result<uint64_t> RowCount(const storage::ReadTxn& txn) const;

  // For Archive::Verify: the index must be exactly what Put would have
  // written for the catalog's versions.

  /// The tables in which the row of (seq, version), as its document's
  /// current version or as history, is missing or differs; empty if the
  /// index holds it exactly. The stored s_rows record must hash to
  /// row_digest (SearchRowDigest of the row the log implies), and the entries
  /// of the eight indexes must be what Put writes for it. Sets *day to the
  /// row's issue-date key for CheckCounts.
  base::Result<std::vector<std::string>> CheckStoredRow(const storage::ReadTxn& txn,
                                                        uint64_t seq, uint32_t version,
                                                        const signing::Digest& row_digest,
                                                        bool current, int32_t* day) const;
  /// What is wrong with the index as a whole, given that `rows` rows were
  /// checked by CheckStoredRow and the current ones fall on these issue
  /// dates (the days it set → number of current rows): entry counts of every
  /// table, and s_days. Empty if nothing.
  base::Result<std::vector<std::string>> CheckCounts(
      const storage::ReadTxn& txn, uint64_t rows,
      const std::map<int32_t, uint64_t>& current_per_day) const;

 private:
  struct Tables {
    storage::Table date, amount, cp, regno, dept, kind, invno, recv, rows, terms, days;
  };
  struct Entries;
  explicit SearchIndex(Tables t) : t_(std::move(t)) {}
  base::Result<Entries> EntriesFor(
      const SearchRow& r, bool current,
      const std::function<base::Result<uint32_t>(char kind, std::string_view term)>& term_id)
      const;
  friend class SearchRun;
  Tables t_;
};

}  // namespace archive

#endif  // ARCHIVE_SEARCH_INDEX_H_
