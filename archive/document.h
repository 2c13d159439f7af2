// The catalog's records of a received document. A Document is the received
// object (its bytes, by SHA-256); each time the same bytes arrive a Receipt
// is added; each metadata correction adds a Version, and old versions stay
// readable (電子帳簿保存法: corrections leave a history). Nothing is deleted:
// a document disposed of after its retention period keeps every record and
// gains a Tombstone; only the bytes go.
//
// Thread safety: values.
#ifndef ARCHIVE_DOCUMENT_H_
#define ARCHIVE_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/scan.h"
#include "base/json.h"
#include "base/result.h"
#include "base/time.h"
#include "invoice/invoice_fields.h"

namespace archive {

/// Who or what received a file, and how.
struct Receipt {
  uint32_t number = 0;  ///< 1 for the first receipt of these bytes
  base::Time received_at;
  std::string receiver;    ///< login or "cli:<os user>"; 電帳法 asks who stored it
  std::string department;  ///< department code, may be empty
  std::string source;      ///< "cli", "upload", "scan", "watch", "peppol", ...
  std::string file_name;   ///< as received, base name only
};

/// One version of a document's metadata.
struct Version {
  uint32_t number = 0;  ///< 1 = as extracted at receipt
  base::Time created_at;
  std::string created_by;
  std::string reason;  ///< why it was corrected; empty for version 1
  /// The invoice fields: the reader's at receipt, then as corrected. Stored
  /// in their JSON form (invoice/fields_json.h), which round-trips exactly.
  invoice::InvoiceFields fields;
  /// The reader's warnings at receipt; corrections keep them.
  std::vector<invoice::Warning> warnings;
  /// A scan's images as checked at receipt (archive/scan.h); corrections
  /// keep them. None for any other document (and no "scan" member in JSON).
  std::optional<ScanFacts> scan;
};

struct Document {
  uint64_t seq = 0;  ///< internal key, 1, 2, 3, ...
  std::string sha256;
  uint64_t size = 0;
  std::string media_type;
  uint32_t current_version = 0;
  uint32_t receipt_count = 0;
  uint64_t received_event = 0;  ///< index of its document.received event
};

/// What stays of a disposed document forever (issue 14): the original's
/// bytes are removed after its retention period, with two people's
/// approval, and this record — in the catalog's `disposed` table and in the
/// "document.disposed" event — says what it was and who decided.
struct Tombstone {
  std::string sha256;  ///< of the removed bytes
  uint64_t size = 0;
  std::string media_type;
  base::Time disposed_at;
  std::string requested_by, approved_by;  ///< two different logins
  std::string reason;
  /// What the deciding module adds (retention/: class, transaction date,
  /// retain_until, request id); an object.
  nlohmann::json details = nlohmann::json::object();
};

/// "D00000042" for seq 42; at least eight digits.
std::string FormatDocumentId(uint64_t seq);
/// The inverse; InvalidArgument for anything that is not a document id.
base::Result<uint64_t> ParseDocumentId(std::string_view id);

nlohmann::json ToJson(const Document& d);
nlohmann::json ToJson(const Receipt& r);
/// {"number", "created_at", "created_by", "reason", "fields", "warnings"},
/// fields and warnings in the form of invoice/fields_json.h.
nlohmann::json ToJson(const Version& v);
/// {"sha256", "size", "media_type", "disposed_at", "requested_by",
///  "approved_by", "reason", "details"}
nlohmann::json ToJson(const Tombstone& t);
base::Result<Tombstone> TombstoneFromJson(const nlohmann::json& j);
base::Result<Document> DocumentFromJson(const nlohmann::json& j);
base::Result<Receipt> ReceiptFromJson(const nlohmann::json& j);
base::Result<Version> VersionFromJson(const nlohmann::json& j);

}  // namespace archive

#endif  // ARCHIVE_DOCUMENT_H_
