#include "workflow/internal/json_util.h"

#include <stdexcept>

#include "base/text.h"
#include "base/utf8.h"

namespace workflow::internal {

using base::Status;
using nlohmann::json;

Status Decode(std::string_view what, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return Status::Corruption(std::string(what) + "が壊れています（" + e.what() + "）");
  }
  return Status::OK();
}

base::Decimal DecimalAt(const json& j, const char* key) {
  auto d = base::Decimal::Parse(j.at(key).get<std::string>());
  if (!d.ok()) throw std::runtime_error(std::string(key) + ": " + d.status().message());
  return *d;
}

base::Date DateAt(const json& j, const char* key) {
  auto d = base::Date::Parse(j.at(key).get<std::string>());
  if (!d.ok()) throw std::runtime_error(std::string(key) + ": " + d.status().message());
  return *d;
}

std::optional<base::Date> OptionalDateAt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return DateAt(j, key);
}

base::Time TimeAt(const json& j, const char* key) {
  auto t = base::ParseRfc3339(j.at(key).get<std::string>());
  if (!t.ok()) throw std::runtime_error(std::string(key) + ": " + t.status().message());
  return *t;
}

std::string StringOr(const json& j, const char* key, std::string fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

json OptionalDate(const std::optional<base::Date>& d) {
  return d ? json(d->ToString()) : json(nullptr);
}

std::string Clean(std::string_view s) { return base::ToValidUtf8(s); }

std::string Shown(std::string_view s) { return base::DisplayName(s, 64); }

}  // namespace workflow::internal
