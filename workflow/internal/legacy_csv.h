// The CSV layer of the legacy creditor import (legacy_creditors.h): bytes
// in UTF-8 or CP932 decoded through ICU's converters (ucnv) line by line,
// then split into RFC 4180 records by libcsv in strict mode. Neither
// library appears outside legacy_csv.cc.
//
// Thread safety: pure functions.
#ifndef WORKFLOW_INTERNAL_LEGACY_CSV_H_
#define WORKFLOW_INTERNAL_LEGACY_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace workflow::internal {

struct CsvRecord {
  int line = 0;  ///< 1-based physical line where the record begins
  std::vector<std::string> fields;  ///< UTF-8
  /// Japanese, if the record cannot be taken as read: bytes the encoding
  /// does not decode, or broken quoting. Fields may then be partial.
  std::string error;
};

struct CsvFile {
  std::string encoding;  ///< "utf-8" or "cp932"
  std::vector<CsvRecord> records;
};

/// Decodes bytes as `encoding` ("utf-8", "cp932", or "" to detect: a BOM
/// or valid UTF-8 is UTF-8, otherwise CP932) and splits it into records.
/// Blank lines between records are skipped. Internal on a converter that
/// ICU cannot open.
base::Result<CsvFile> ReadCsv(std::string_view bytes, std::string_view encoding);

}  // namespace workflow::internal

#endif  // WORKFLOW_INTERNAL_LEGACY_CSV_H_
