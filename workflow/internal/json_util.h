// Helpers for the workflow's JSON records. Only workflow/*.cc include this.
//
// Record readers (XxxFromJson) run their body through Decode, which turns
// any exception of nlohmann::json or of the Throw* helpers below into
// Corruption, so no exception leaves a .cc file.
//
// Thread safety: pure functions.
#ifndef WORKFLOW_INTERNAL_JSON_UTIL_H_
#define WORKFLOW_INTERNAL_JSON_UTIL_H_

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "base/time.h"

namespace workflow::internal {

/// Runs fn; an exception becomes Corruption("<what>が壊れています（<exception
/// text>）"): what names the record for a person, e.g. "支出命令の記録".
base::Status Decode(std::string_view what, const std::function<void()>& fn);

/// Readers that throw std::runtime_error on a malformed value (for use
/// inside Decode only).
base::Decimal DecimalAt(const nlohmann::json& j, const char* key);
base::Date DateAt(const nlohmann::json& j, const char* key);
std::optional<base::Date> OptionalDateAt(const nlohmann::json& j, const char* key);
base::Time TimeAt(const nlohmann::json& j, const char* key);
std::string StringOr(const nlohmann::json& j, const char* key, std::string fallback = "");

nlohmann::json OptionalDate(const std::optional<base::Date>& d);

/// s with invalid UTF-8 replaced, so that it can go into a record or event.
std::string Clean(std::string_view s);

/// A value someone sent (a code, an id, a field name), fit to repeat in a
/// message a person reads: base::DisplayName, so without control
/// characters and at most 64 characters.
std::string Shown(std::string_view s);

}  // namespace workflow::internal

#endif  // WORKFLOW_INTERNAL_JSON_UTIL_H_
