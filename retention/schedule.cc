#include "retention/schedule.h"

#include <utility>

#include "base/text.h"

namespace retention {

using base::Result;
using base::Status;

namespace {

constexpr std::pair<std::string_view, std::string_view> kHoldKinds[] = {
    {"audit", "監査"},
    {"resident_audit", "住民監査請求"},
    {"disclosure", "情報公開請求"},
    {"litigation", "訴訟"},
};

}  // namespace

Status Schedule::Validate() const {
  if (years.empty()) return Status::InvalidArgument("[retention] に文書の分類がありません");
  for (const auto& [cls, y] : years) {
    if (y < 1 || y > 100) {
      return Status::InvalidArgument("[retention] の分類 " + base::DisplayName(cls, 40) +
                                     " の保存年数は 1〜100 で指定してください");
    }
  }
  for (const auto& [type, cls] : document_types) {
    if (!years.count(cls)) {
      return Status::InvalidArgument("[retention.document_types] の " +
                                     base::DisplayName(type, 40) + " が知らない分類 " +
                                     base::DisplayName(cls, 40) + " を指しています");
    }
  }
  if (!years.count(default_class)) {
    return Status::InvalidArgument("[retention] default_class が知らない分類 " +
                                   base::DisplayName(default_class, 40) + " を指しています");
  }
  return Status::OK();
}

std::string ClassOf(const Schedule& schedule, std::string_view document_type) {
  auto it = schedule.document_types.find(std::string(document_type));
  return it != schedule.document_types.end() ? it->second : schedule.default_class;
}

base::Date RetainUntil(base::Date date, int years) {
  return base::FiscalYearEnd(base::FiscalYearOf(date) + years);
}

Result<std::string> ParseHoldKind(std::string_view text) {
  for (const auto& [key, label] : kHoldKinds) {
    if (text == key || text == label) return std::string(key);
  }
  return Status::InvalidArgument(
      "法的保存の理由の種類は audit（監査）、resident_audit（住民監査請求）、"
      "disclosure（情報公開請求）、litigation（訴訟）のどれかで指定してください: \"" +
      base::DisplayName(text, 40) + "\"");
}

std::string HoldKindLabel(std::string_view kind) {
  for (const auto& [key, label] : kHoldKinds) {
    if (kind == key) return std::string(label);
  }
  return std::string(kind);
}

}  // namespace retention
