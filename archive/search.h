// The search of the archive: one query model for `kura search` and the HTTP
// API (GET /api/v1/documents). 電子帳簿保存法 asks that received documents be
// searchable by 取引年月日 (issue date), 取引金額 (amount) and 取引先
// (counterparty), with ranges on date and amount and any combination of
// conditions, and that the hits be handed over as CSV.
//
// Conditions combine with AND. The counterparty matches on substrings of
// the normalised name (base::NormalizeName: full/half width, 株式会社/(株)/㈱,
// spaces); text matches substrings of the invoice number, counterparty,
// file name and line descriptions (NFKC, case folded). The amount is the
// amount due (UBL PayableAmount, CII DuePayableAmount; else the tax-inclusive
// total), compared exactly as a decimal. Dates are inclusive.
//
// Results come in pages. Sorting is total: ties are broken by document id,
// so a cursor (`next`) continues exactly after the last item of a page even
// while documents are being added.
//
// Thread safety: values.
#ifndef ARCHIVE_SEARCH_H_
#define ARCHIVE_SEARCH_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "storage/lmdb_env.h"

namespace archive {

/// kReceived: by the date of the first receipt (newest first with
/// descending), then by document id.
enum class SearchSort { kDate, kAmount, kCounterparty, kReceived };

/// A condition a module above the archive adds to a search (the workflow:
/// the state of a document's payment order), asked inside the search's read
/// transaction for each row that meets every other condition, so that the
/// count and the pages include it. seq is the document's (FormatDocumentId
/// gives its id). Its error ends the search.
using SearchRowFilter =
    std::function<base::Result<bool>(const storage::ReadTxn& txn, uint64_t seq)>;

struct SearchQuery {
  std::optional<base::Date> date_from, date_to;        ///< issue date (取引年月日)
  std::optional<base::Decimal> amount_min, amount_max;  ///< amount due (取引金額)
  std::string counterparty;                             ///< substring (取引先)
  std::vector<std::string> registration_numbers;        ///< any of these T-numbers
  std::string department;                               ///< department code, exact
  std::string type;            ///< "invoice" | "credit_note" | "unknown"; "" any
  std::string format;          ///< "jp-pint", "pdf", ...; "" any
  std::string invoice_number;  ///< exact (after NFKC)
  std::optional<base::Date> received_from, received_to;  ///< first receipt, Japan date
  std::string text;            ///< substring of number, counterparty, file name, lines
  /// Only documents whose keys must (true) or need not (false) be entered
  /// by a person (a PDF without invoice data, a scan); nullopt: either.
  std::optional<bool> needs_metadata;
  /// A further condition of a module above (not from parameters); empty:
  /// none.
  SearchRowFilter filter;
  /// Also match the earlier versions of corrected documents (their items say
  /// "current": false). Default: current versions only.
  bool include_history = false;

  SearchSort sort = SearchSort::kDate;
  bool descending = false;
  uint32_t limit = 50;  ///< 1..1000
  uint64_t offset = 0;  ///< items to skip; prefer `after` for deep pages
  std::string after;    ///< the `next` of the previous page
  /// Count all hits (the "count" of the result). Exporters that page through
  /// everything may turn it off for the pages after the first.
  bool count = true;
  /// For tests and `--explain`: drive by this index ("date", "amount",
  /// "counterparty", ...) when the query can use it, instead of the
  /// planner's choice. The hits are the same either way.
  std::string index_hint;
};

/// A query from text parameters, as the CLI and the HTTP API receive them:
/// date_from, date_to, amount_min, amount_max, counterparty,
/// registration_number (comma-separated), department, type, format,
/// invoice_number, received_from, received_to, text, history (true/false),
/// needs_metadata (true/false), sort (date|amount|counterparty|received),
/// desc / order=desc, limit, offset,
/// after. InvalidArgument, naming the parameter, for bad values (Japanese
/// message for the UI).
base::Result<SearchQuery> SearchQueryFromParams(
    const std::vector<std::pair<std::string, std::string>>& params);

/// Checks ranges and limits; InvalidArgument with a message for the user.
base::Status ValidateSearchQuery(const SearchQuery& q);

struct SearchItem {
  std::string id;  ///< "D00000042"
  uint32_t version = 0;
  bool current = true;
  std::optional<std::string> issue_date;  ///< "YYYY-MM-DD"
  std::optional<std::string> total;       ///< exact decimal
  std::string currency;
  std::string counterparty;  ///< as written on the document
  std::string registration_number;
  std::string department;
  std::string type;
  std::string format;
  std::string invoice_number;
  std::string file_name;
  std::string received_date;  ///< first receipt, Japan date
  bool needs_metadata = false;
  /// The document was disposed of (Archive::Search fills it in).
  bool disposed = false;
};

struct SearchResult {
  uint64_t count = 0;  ///< all hits (0 when the query asked not to count)
  std::vector<SearchItem> items;
  std::optional<std::string> next;  ///< cursor for the next page, if any
  /// How it ran: the driving index and the entries visited (not in JSON;
  /// `kura search --explain` prints it).
  std::string plan;
};

/// {"count": N, "items": [{"id", "issue_date", "total", "currency",
///  "counterparty", "registration_number", "department", "type", "format",
///  "invoice_number", "file_name", "received_date", "needs_metadata",
///  "version", "current"} plus "disposed": true, "state_label": "廃棄済み"
///  for a disposed document], "next": CURSOR|null}
nlohmann::json ToJson(const SearchItem& i);
nlohmann::json ToJson(const SearchResult& r);

/// The CSV header row (Japanese column names, for 税務調査 hand-over),
/// starting with a UTF-8 BOM so that Excel opens it correctly, and CRLF.
std::string SearchCsvHeader();
/// One CSV row per item (RFC 4180 quoting, CRLF).
std::string SearchCsvRows(const std::vector<SearchItem>& items);

}  // namespace archive

#endif  // ARCHIVE_SEARCH_H_
