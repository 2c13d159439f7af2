#include "invoice/fields_json.h"

#include <climits>
#include <optional>
#include <string>
#include <type_traits>

#include "base/text.h"
#include "invoice/internal/field_members.h"

namespace invoice {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// --- Encoding, one overload per member type. ---

json Encode(const std::string& v) { return v; }
json Encode(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json Encode(const std::vector<std::string>& v) { return v; }
json Encode(bool v) { return v; }
json Encode(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

json Encode(const std::map<std::string, std::string>& v) {
  json o = json::object();
  for (const auto& [key, value] : v) o[key] = value;
  return o;
}

// Subtotal values use "" for "not stated"; JSON says null.
json EmptyAsNull(const std::string& v) { return v.empty() ? json(nullptr) : json(v); }

json Encode(const std::vector<TaxSubtotal>& v) {
  json a = json::array();
  for (const TaxSubtotal& s : v) {
    a.push_back({{"category", EmptyAsNull(s.category)},
                 {"rate", EmptyAsNull(s.rate)},
                 {"taxable", EmptyAsNull(s.taxable)},
                 {"tax", EmptyAsNull(s.tax)}});
  }
  return a;
}

// --- Decoding: the exact inverse of Encode, or why not (for Corruption). ---

Status Wrong(const char* what) { return Status::Corruption(what); }

Status Decode(const json& j, std::string* out) {
  if (!j.is_string()) return Wrong("文字列ではありません");
  *out = j.get<std::string>();
  return Status::OK();
}

Status Decode(const json& j, std::optional<std::string>* out) {
  if (j.is_null()) {
    out->reset();
    return Status::OK();
  }
  if (!j.is_string()) return Wrong("文字列でも null でもありません");
  *out = j.get<std::string>();
  return Status::OK();
}

Status Decode(const json& j, std::vector<std::string>* out) {
  if (!j.is_array()) return Wrong("文字列の配列ではありません");
  out->clear();
  for (const json& e : j) {
    if (!e.is_string()) return Wrong("文字列の配列ではありません");
    out->push_back(e.get<std::string>());
  }
  return Status::OK();
}

Status Decode(const json& j, bool* out) {
  if (!j.is_boolean()) return Wrong("true でも false でもありません");
  *out = j.get<bool>();
  return Status::OK();
}

Status Decode(const json& j, std::optional<int>* out) {
  if (j.is_null()) {
    out->reset();
    return Status::OK();
  }
  bool fits = false;
  if (j.is_number_unsigned()) {
    fits = j.get<uint64_t>() <= INT_MAX;
  } else if (j.is_number_integer()) {
    fits = j.get<int64_t>() >= INT_MIN && j.get<int64_t>() <= INT_MAX;
  }
  if (!fits) return Wrong("整数でも null でもありません");
  *out = static_cast<int>(j.get<int64_t>());
  return Status::OK();
}

Status Decode(const json& j, std::map<std::string, std::string>* out) {
  if (!j.is_object()) return Wrong("値が文字列のオブジェクトではありません");
  out->clear();
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) return Wrong("値が文字列のオブジェクトではありません");
    (*out)[key] = value.get<std::string>();
  }
  return Status::OK();
}

// A subtotal value: null (not stated, "") or a non-empty string.
bool DecodeSubtotalValue(const json& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end()) return false;
  if (it->is_null()) {
    out->clear();
    return true;
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return false;
  *out = it->get<std::string>();
  return true;
}

Status Decode(const json& j, std::vector<TaxSubtotal>* out) {
  if (!j.is_array()) return Wrong("税率ごとの内訳の配列ではありません");
  out->clear();
  for (const json& e : j) {
    TaxSubtotal s;
    const bool ok =
        e.is_object() && e.size() == 4 && DecodeSubtotalValue(e, "category", &s.category) &&
        DecodeSubtotalValue(e, "rate", &s.rate) && DecodeSubtotalValue(e, "taxable", &s.taxable) &&
        DecodeSubtotalValue(e, "tax", &s.tax);
    if (!ok) {
      return Wrong(
          "税率ごとの内訳が category、rate、taxable、tax の 4 項目（それぞれ空でない文字列か "
          "null）になっていません");
    }
    out->push_back(std::move(s));
  }
  return Status::OK();
}

// Members of j that are no member of InvoiceFields: text is a legacy
// member, anything else is not a record kura wrote.
Status TakeUnknownMembers(const json& j, InvoiceFields* f) {
  for (const auto& [key, value] : j.items()) {
    if (FieldByName(key)) continue;
    if (!value.is_string()) {
      return Status::Corruption("保存されている請求書の項目 fields." + base::PrintableText(key) +
                                ": 請求書の項目でも文字列でもありません");
    }
    f->legacy_members[key] = value.get<std::string>();
  }
  return Status::OK();
}

}  // namespace

json FieldsToJson(const InvoiceFields& f) {
  json j = json::object();
  for (const auto& [key, text] : f.legacy_members) j[key] = text;
  internal::ForEachMember(f, [&](Field id, const auto& member) {
    using T = std::decay_t<decltype(member)>;
    if (f.absent.contains(id) && member == internal::AbsentValue<T>(id)) return;
    j[std::string(FieldName(id))] = Encode(member);
  });
  return j;
}

Result<InvoiceFields> FieldsFromJson(const json& j) {
  if (!j.is_object()) {
    return Status::Corruption(
        "保存されている請求書の項目 (fields) が JSON オブジェクトではありません");
  }
  InvoiceFields f;
  f.absent = {};
  Status status;
  internal::ForEachMember(f, [&](Field id, auto& member) {
    using T = std::decay_t<decltype(member)>;
    if (!status.ok()) return;
    const std::string name(FieldName(id));
    auto it = j.find(name);
    if (it == j.end()) {
      member = internal::AbsentValue<T>(id);
      f.absent.insert(id);
      return;
    }
    Status s = Decode(*it, &member);
    if (s.ok()) return;
    if (!internal::kIsText<T> && it->is_string()) {  // `kura correct --set` of old
      member = internal::AbsentValue<T>(id);
      f.absent.insert(id);
      f.legacy_members[name] = it->template get<std::string>();
      return;
    }
    status = Status::Corruption("保存されている請求書の項目 fields." + name + ": " + s.message());
  });
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(TakeUnknownMembers(j, &f));
  return f;
}

json WarningsToJson(const std::vector<Warning>& warnings) {
  json a = json::array();
  for (const Warning& w : warnings) a.push_back({{"code", w.code}, {"message", w.message}});
  return a;
}

Result<std::vector<Warning>> WarningsFromJson(const json& j) {
  if (!j.is_array()) {
    return Status::Corruption("保存されている読み取り警告 (warnings) が JSON 配列ではありません");
  }
  std::vector<Warning> out;
  out.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    const json& w = j[i];
    if (!w.is_object() || w.size() != 2 || !w.contains("code") || !w["code"].is_string() ||
        !w.contains("message") || !w["message"].is_string()) {
      return Status::Corruption("保存されている読み取り警告 warnings[" + std::to_string(i) +
                                "] が {\"code\": 文字列, \"message\": 文字列} の形ではありません");
    }
    out.push_back({w["code"].get<std::string>(), w["message"].get<std::string>()});
  }
  return out;
}

json ReadResultToJson(const ReadResult& result) {
  return {{"fields", FieldsToJson(result.fields)}, {"warnings", WarningsToJson(result.warnings)}};
}

}  // namespace invoice
