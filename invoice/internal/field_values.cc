#include "invoice/internal/field_values.h"

#include "invoice/internal/text_util.h"
#include "invoice/warning_codes.h"
#include "base/date.h"
#include "base/money.h"
#include "base/registration_number.h"
#include "base/text.h"

namespace invoice::internal {
namespace {

// Values quoted in messages are cut so that a hostile document cannot make
// a warning large, and show no raw control characters.
std::string Quote(std::string_view text) { return base::PrintableText(text, 64); }

void WarnDate(std::string_view text, std::string_view label, WarningList* warnings) {
  warnings->Add(warning_code::kInvalidDate,
                std::string(label) + "「" + Quote(text) + "」を日付として読み取れません");
}

}  // namespace

std::optional<std::string> ValidAmount(std::optional<std::string> text, std::string_view label,
                                       WarningList* warnings) {
  if (!text || text->empty()) return std::nullopt;
  if (!base::Decimal::Parse(*text).ok()) {
    warnings->Add(warning_code::kInvalidAmount,
                  std::string(label) + "「" + Quote(*text) + "」を数値として読み取れません");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ValidIsoDate(std::optional<std::string> text, std::string_view label,
                                        WarningList* warnings) {
  if (!text || text->empty()) return std::nullopt;
  if (text->size() != 10 || !base::Date::Parse(*text).ok()) {
    WarnDate(*text, label, warnings);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> CefactDate(std::optional<std::string> text,
                                      std::optional<std::string> format, std::string_view label,
                                      WarningList* warnings) {
  if (!text || text->empty()) return std::nullopt;
  if (format && !format->empty() && *format != "102") {
    WarnDate(*text, label, warnings);
    return std::nullopt;
  }
  const std::string& t = *text;
  if (t.size() != 8) {
    WarnDate(t, label, warnings);
    return std::nullopt;
  }
  std::string iso = t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2);
  if (!base::Date::Parse(iso).ok()) {
    WarnDate(t, label, warnings);
    return std::nullopt;
  }
  return iso;
}

std::string DocumentTypeFromCode(std::string_view code) {
  static constexpr std::string_view kCreditNoteCodes[] = {"381", "396", "81",  "83",
                                                          "261", "262", "308", "532"};
  for (std::string_view c : kCreditNoteCodes) {
    if (code == c) return "credit_note";
  }
  return "invoice";
}

std::optional<std::string> FirstRegistrationNumber(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    if (base::LooksLikeRegistrationNumber(id)) return id;
  }
  return std::nullopt;
}

}  // namespace invoice::internal
