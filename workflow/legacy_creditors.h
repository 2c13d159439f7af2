// Legacy creditor numbers (旧債権者番号): the rows of the old finance
// system's creditor export, read from its CSV. The old system let every
// department issue its own numbers, so one vendor has many; the
// consolidation (vendor_clusters.h) proposes which are the same vendor and
// Workflow::MergeCreditors records the decision.
//
// The file: UTF-8 (with or without BOM) or Shift_JIS/CP932, detected or
// forced, decoded through ICU's converters; RFC 4180 CSV (quoted fields
// with commas, quotes and line breaks) read by libcsv in strict mode; the
// first record is the header and columns are found by their names
// (kLegacyColumns, with aliases; docs/API.md "Legacy creditor export").
// A row that cannot be taken is listed with its line number and a
// Japanese reason; the others are returned.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_LEGACY_CREDITORS_H_
#define WORKFLOW_LEGACY_CREDITORS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace workflow {

/// One number of the old finance system as its export describes it. Codes
/// are canonical (ASCII digits, zero-padded); empty when the export left
/// the column blank.
struct LegacyCreditor {
  std::string number;               ///< 債権者番号 (the legacy number itself)
  std::string name;                 ///< 債権者名
  std::string name_kana;            ///< 債権者名カナ
  std::string registration_number;  ///< 登録番号 "T" + 13 digits
  std::string corporate_number;     ///< 法人番号, 13 digits
  std::string address;              ///< 住所
  std::string bank_code;            ///< 銀行コード, 4 digits
  std::string branch_code;          ///< 支店コード, 3 digits
  std::string account_type;         ///< 預金種目 "1" 普通, "2" 当座, "4" 貯蓄, "9" その他
  std::string account_number;       ///< 口座番号, 7 digits
  std::string account_holder;       ///< 口座名義
  int64_t use_count = 0;            ///< 利用回数
  std::string last_used;            ///< 最終利用日 "YYYY-MM-DD"
  std::string department;           ///< 所管課
};

/// The stored form: an array of the members in declaration order.
nlohmann::json ToJson(const LegacyCreditor& c);
/// The inverse; Corruption for a malformed record.
base::Result<LegacyCreditor> LegacyCreditorFromJson(const nlohmann::json& j);
/// {"number","name",...,"use_count","last_used","department"} for the API.
nlohmann::json ToApiJson(const LegacyCreditor& c);

/// A column of the export: the member it fills, its header name and the
/// other names the same column goes by.
struct LegacyColumn {
  std::string_view key;                     ///< "number", "name", ...
  std::string_view header;                  ///< "債権者番号"
  std::array<std::string_view, 4> aliases;  ///< other header names ("" unused)
  bool required = false;
};
/// Every column kura reads, in LegacyCreditor's order. Headers are compared
/// after NFKC with spaces removed; other columns are ignored.
extern const std::array<LegacyColumn, 14> kLegacyColumns;

enum class LegacyEncoding { kAuto, kUtf8, kCp932 };
/// "auto", "utf-8", "cp932" (also "utf8", "shift_jis", "sjis");
/// InvalidArgument otherwise.
base::Result<LegacyEncoding> ParseLegacyEncoding(std::string_view name);

/// A row that was not taken.
struct LegacyRowError {
  int line = 0;         ///< 1-based physical line where the record begins
  std::string number;   ///< its 債権者番号 if it had one
  std::string message;  ///< Japanese
};

struct LegacyParse {
  std::string encoding;  ///< what was read: "utf-8" or "cp932"
  std::vector<LegacyCreditor> rows;
  std::vector<int> lines;  ///< the line of each row
  std::vector<LegacyRowError> errors;
  std::vector<std::string> ignored_columns;  ///< headers kura does not read
};

/// Reads an export. kAuto: a UTF-8 BOM or valid UTF-8 is UTF-8, anything
/// else CP932 (Shift_JIS text is practically never valid UTF-8).
/// InvalidArgument (Japanese) only when the file as a whole cannot be read:
/// empty, no header, a required column missing, a column named twice.
/// Row-level problems (field count, malformed codes, dates or counts,
/// bytes the encoding cannot decode, a number given twice, broken quoting)
/// go to errors and the row is left out.
base::Result<LegacyParse> ParseLegacyCreditors(std::string_view bytes, LegacyEncoding encoding);

}  // namespace workflow

#endif  // WORKFLOW_LEGACY_CREDITORS_H_
