#include "archive/correction.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/money.h"
#include "base/registration_number.h"
#include "base/text.h"
#include "base/utf8.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

enum class Kind { kDate, kAmount, kRegistrationNumber, kBool, kDocumentType, kCurrency, kText };

// The fields a person may correct: the members of invoice::FieldPatch, in
// the order the error message lists them.
struct Field {
  invoice::Field field;
  std::string_view label;  // as the user knows it
  Kind kind;
  std::string_view name() const { return invoice::FieldName(field); }
};

constexpr Field kFields[] = {
    {invoice::Field::kIssueDate, "取引年月日", Kind::kDate},
    {invoice::Field::kDueDate, "支払期日", Kind::kDate},
    {invoice::Field::kTotal, "取引金額（税込）", Kind::kAmount},
    {invoice::Field::kTaxInclusiveTotal, "税込合計", Kind::kAmount},
    {invoice::Field::kCounterparty, "取引先", Kind::kText},
    {invoice::Field::kRegistrationNumber, "登録番号", Kind::kRegistrationNumber},
    {invoice::Field::kInvoiceNumber, "請求書番号", Kind::kText},
    {invoice::Field::kBankAccount, "振込先口座", Kind::kText},
    {invoice::Field::kCurrency, "通貨", Kind::kCurrency},
    {invoice::Field::kDocumentType, "書類の種類", Kind::kDocumentType},
    {invoice::Field::kNeedsMetadata, "要入力", Kind::kBool},
};

// A value the caller sent, fit to repeat in a message (base::DisplayName:
// no control characters, capped).
std::string Shown(std::string_view raw) { return base::DisplayName(raw, 64); }

Status Bad(const Field& f, const std::string& what) {
  return Status::InvalidArgument(std::string(f.name()) + "（" + std::string(f.label) +
                                 "）: " + what);
}

Result<json> Normalize(const Field& f, const json& v) {
  if (v.is_null()) return json(nullptr);  // removes the field
  if (f.kind == Kind::kBool) {
    if (v.is_boolean()) return v;
    if (v == "true") return json(true);
    if (v == "false") return json(false);
    return Bad(f, "true か false で指定してください");
  }
  if (!v.is_string()) return Bad(f, "文字列で指定してください");
  const std::string raw = v.get<std::string>();
  // Full-width digits and letters, as typed on a Japanese keyboard, for the
  // kinds whose values are codes and numbers (names are kept as written).
  const std::string s = f.kind == Kind::kText ? raw : base::NormalizeText(raw);
  switch (f.kind) {
    case Kind::kDate: {
      auto d = base::Date::Parse(s);
      if (!d.ok()) return Bad(f, "YYYY-MM-DD の形式の日付で指定してください（" + Shown(raw) + "）");
      return json(d->ToString());
    }
    case Kind::kAmount: {
      std::string digits;
      for (char c : s) {
        if (c != ',') digits.push_back(c);
      }
      auto d = base::Decimal::Parse(digits);
      if (!d.ok()) return Bad(f, "金額は数字で指定してください（" + Shown(raw) + "）");
      return json(d->ToString());
    }
    case Kind::kRegistrationNumber: {
      std::string t = s;
      if (!t.empty() && t[0] == 't') t[0] = 'T';
      if (!base::IsValidRegistrationNumber(t)) {
        return Bad(f, "T と 13 桁の数字の正しい登録番号を指定してください（" + Shown(raw) + "）");
      }
      return json(t);
    }
    case Kind::kDocumentType:
      if (s != "invoice" && s != "credit_note") {
        return Bad(f, "invoice（請求書）か credit_note（返金・値引）を指定してください");
      }
      return json(s);
    case Kind::kCurrency: {
      std::string c = s;
      for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const bool ok = c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) {
                        return ch >= 'A' && ch <= 'Z';
                      });
      if (!ok) return Bad(f, "JPY のような 3 文字の通貨コードで指定してください");
      return json(c);
    }
    case Kind::kText: {
      if (raw.find_first_not_of(" \t\r\n\u3000") == std::string::npos) {
        return Bad(f, "空にはできません（消すときは null を指定してください）");
      }
      size_t chars = 0;  // code points; an ill-formed byte counts as one
      for (size_t pos = 0; pos < raw.size(); ++chars) base::NextCodePoint(raw, &pos);
      if (chars > 200) return Bad(f, "長すぎます（200 文字まで）");
      return json(raw);  // names are kept as written
    }
    case Kind::kBool:
      break;
  }
  return Bad(f, "指定できません");
}

}  // namespace

Result<invoice::FieldPatch> NormalizeCorrection(const json& changes) {
  if (!changes.is_object() || changes.empty()) {
    return Status::InvalidArgument("訂正する項目を 1 つ以上指定してください");
  }
  json out = json::object();
  for (const auto& [name, value] : changes.items()) {
    const Field* field = nullptr;
    for (const Field& f : kFields) {
      if (f.name() == name) field = &f;
    }
    if (field == nullptr) {
      std::string known;
      for (const Field& f : kFields) known += (known.empty() ? "" : ", ") + std::string(f.name());
      return Status::InvalidArgument("訂正できない項目です: " + Shown(name) +
                                     "（訂正できる項目: " + known + "）");
    }
    ASSIGN_OR_RETURN(out[name], Normalize(*field, value));
  }
  // The normalised changes are the JSON form of the patch (the "changes" of
  // its event); kFields names exactly the patch's members.
  auto patch = invoice::PatchFromJson(out);
  assert(patch.ok());
  return patch;
}

}  // namespace archive
