// JSON for stored records and events: the one way kura encodes and decodes
// them (nlohmann::json), without exceptions escaping.
//
//   std::string bytes = base::DumpJson(record);         // compact, keys sorted
//   ASSIGN_OR_RETURN(nlohmann::json j, base::ParseJson(bytes));
//   RETURN_IF_ERROR(base::JsonField(j, "size", &size));  // Corruption if absent
//
// DumpJson is canonical: object keys sorted (nlohmann's objects are
// std::maps), no insignificant whitespace, UTF-8 as is (an invalid sequence
// becomes U+FFFD instead of throwing). The event log hashes these bytes.
//
// Thread safety: pure functions.
#ifndef BASE_JSON_H_
#define BASE_JSON_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/time.h"

namespace base {

/// The canonical bytes of j (see the file comment). Never throws.
inline std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

/// Parses JSON text without throwing; Corruption if it is not JSON.
inline Result<nlohmann::json> ParseJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Corruption(
        "保存されているレコードが JSON として読めません（データが壊れている可能性があります）");
  }
  return j;
}

/// *out = j[key] as T. Corruption naming the member if it is missing or of
/// another type.
template <class T>
Status JsonField(const nlohmann::json& j, const char* key, T* out) {
  if (!j.is_object()) {
    return Status::Corruption(
        "保存されているレコードが JSON オブジェクトではありません"
        "（データが壊れている可能性があります）");
  }
  auto it = j.find(key);
  if (it == j.end()) {
    return Status::Corruption(std::string("保存されているレコードに項目 \"") + key +
                              "\" がありません");
  }
  try {
    *out = it->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("保存されているレコードの項目 \"") + key +
                              "\" の型が正しくありません（" + e.what() + "）");
  }
  return Status::OK();
}

/// An RFC 3339 time member (base::FormatRfc3339), as JsonField.
inline Status JsonTimeField(const nlohmann::json& j, const char* key, Time* out) {
  std::string s;
  RETURN_IF_ERROR(JsonField(j, key, &s));
  auto t = ParseRfc3339(s);
  if (!t.ok()) {
    return Status::Corruption(std::string("保存されているレコードの項目 \"") + key +
                              "\": " + t.status().message());
  }
  *out = *t;
  return Status::OK();
}

}  // namespace base

#endif  // BASE_JSON_H_
