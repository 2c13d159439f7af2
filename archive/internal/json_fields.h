// Reading typed members of stored JSON records without exceptions escaping:
// a missing or mistyped member is Corruption naming it. For archive/ only.
#ifndef ARCHIVE_INTERNAL_JSON_FIELDS_H_
#define ARCHIVE_INTERNAL_JSON_FIELDS_H_

#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/time.h"

namespace archive {

template <class T>
base::Status JsonField(const nlohmann::json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return base::Status::Corruption(std::string("record lacks \"") + key + "\"");
  try {
    *out = it->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return base::Status::Corruption(std::string("record field \"") + key + "\": " + e.what());
  }
  return base::Status::OK();
}

inline base::Status JsonTimeField(const nlohmann::json& j, const char* key, base::Time* out) {
  std::string s;
  RETURN_IF_ERROR(JsonField(j, key, &s));
  auto t = base::ParseRfc3339(s);
  if (!t.ok()) return base::Status::Corruption(t.status().message());
  *out = *t;
  return base::Status::OK();
}

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_JSON_FIELDS_H_
