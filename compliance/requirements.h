// The requirements of 電子帳簿保存法 (the Electronic Bookkeeping Act) that
// apply to what kura keeps, as data: for each, how kura meets it (in
// Japanese, for a tax officer or the city's 監査委員), the commands and
// screens that show it, and the tests that prove it. `kura compliance
// report` and GET /api/v1/compliance/report print this table with the
// archive's live state (compliance/report.h).
//
// The tests are named as GoogleTest names them ("Suite.Name") or, for a
// browser test, by its file under tests/ ("tests/e2e/flows/search.test.mjs");
// tests/compliance/requirements_test.cc fails for a name that no test in
// tests/ has, so the table cannot drift from the code.
//
// Thread safety: immutable data.
#ifndef COMPLIANCE_REQUIREMENTS_H_
#define COMPLIANCE_REQUIREMENTS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace compliance {

struct Requirement {
  std::string id;      ///< stable key, e.g. "authenticity.timestamp"
  std::string group;   ///< 真実性 | 可視性 | 保存期間 | スキャナ保存 | 相互関連性
  std::string title;   ///< the requirement, in Japanese
  std::string basis;   ///< where the law says so
  std::string status;  ///< 対応 | 一部対応 | 運用で対応
  std::string how;     ///< how kura meets it (and what it leaves to the city)
  std::vector<std::string> commands;  ///< command lines that show it
  std::vector<std::string> screens;   ///< screens and API routes that show it
  std::vector<std::string> tests;     ///< "Suite.Name" or "tests/…" files
};

/// Every requirement, in the order of the report.
const std::vector<Requirement>& Requirements();

/// {"id", "group", "title", "basis", "status", "how", "commands", "screens", "tests"}
nlohmann::json ToJson(const Requirement& r);

}  // namespace compliance

#endif  // COMPLIANCE_REQUIREMENTS_H_
