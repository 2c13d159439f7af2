#include "archive/search.h"

#include <charconv>

#include "base/text.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// A search parameter's name or value as the caller sent it, fit to repeat
// in a message: no control characters, capped (base::DisplayName).
std::string Shown(std::string_view raw) { return base::DisplayName(raw, 64); }

Status Bad(const std::string& param, const std::string& message) {
  return Status::InvalidArgument("検索条件 " + Shown(param) + ": " + message);
}

Result<base::Date> ParseDate(const std::string& param, const std::string& v) {
  auto d = base::Date::Parse(v);
  if (!d.ok()) return Bad(param, "日付は YYYY-MM-DD の形で指定してください（" + Shown(v) + "）");
  return *d;
}

Result<base::Decimal> ParseAmount(const std::string& param, std::string v) {
  std::string digits;
  for (char c : v) {
    if (c != ',' && c != '_') digits.push_back(c);  // "1,000,000" as people write it
  }
  auto d = base::Decimal::Parse(digits);
  if (!d.ok()) return Bad(param, "金額は数字で指定してください（" + Shown(v) + "）");
  return *d;
}

Result<uint64_t> ParseCount(const std::string& param, const std::string& v) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size()) {
    return Bad(param, "0 以上の整数で指定してください（" + Shown(v) + "）");
  }
  return n;
}

Result<bool> ParseBool(const std::string& param, const std::string& v) {
  if (v.empty() || v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return Bad(param, "true か false で指定してください（" + Shown(v) + "）");
}

}  // namespace

Status ValidateSearchQuery(const SearchQuery& q) {
  if (q.limit < 1 || q.limit > 1000) return Bad("limit", "1 から 1000 の間で指定してください");
  if (!q.after.empty() && q.offset != 0) {
    return Bad("offset", "after（カーソル）と offset は同時に指定できません");
  }
  if (q.date_from && q.date_to && *q.date_from > *q.date_to) {
    return Bad("date_from", "開始日が終了日より後になっています");
  }
  if (q.amount_min && q.amount_max && *q.amount_min > *q.amount_max) {
    return Bad("amount_min", "下限の金額が上限より大きくなっています");
  }
  if (q.received_from && q.received_to && *q.received_from > *q.received_to) {
    return Bad("received_from", "開始日が終了日より後になっています");
  }
  if (q.offset > 10'000'000) return Bad("offset", "大きすぎます。after（カーソル）を使ってください");
  // A name that normalises to nothing ("株式会社", spaces) would match every
  // document: refuse it rather than silently drop the condition.
  if (!q.counterparty.empty() && base::NormalizeName(q.counterparty).empty()) {
    return Bad("counterparty",
               "取引先名として検索できる文字がありません（法人格や空白だけでは検索できません）");
  }
  return Status::OK();
}

Result<SearchQuery> SearchQueryFromParams(
    const std::vector<std::pair<std::string, std::string>>& params) {
  SearchQuery q;
  for (const auto& [name, value] : params) {
    if (name == "date_from") {
      ASSIGN_OR_RETURN(q.date_from, ParseDate(name, value));
    } else if (name == "date_to") {
      ASSIGN_OR_RETURN(q.date_to, ParseDate(name, value));
    } else if (name == "received_from") {
      ASSIGN_OR_RETURN(q.received_from, ParseDate(name, value));
    } else if (name == "received_to") {
      ASSIGN_OR_RETURN(q.received_to, ParseDate(name, value));
    } else if (name == "amount_min") {
      ASSIGN_OR_RETURN(q.amount_min, ParseAmount(name, value));
    } else if (name == "amount_max") {
      ASSIGN_OR_RETURN(q.amount_max, ParseAmount(name, value));
    } else if (name == "counterparty") {
      q.counterparty = value;
    } else if (name == "registration_number") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        if (comma > start) q.registration_numbers.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (name == "department") {
      q.department = value;
    } else if (name == "type") {
      if (value != "invoice" && value != "credit_note" && value != "unknown") {
        return Bad(name, "invoice か credit_note で指定してください（" + Shown(value) + "）");
      }
      q.type = value;
    } else if (name == "format") {
      q.format = value;
    } else if (name == "invoice_number") {
      q.invoice_number = value;
    } else if (name == "text") {
      q.text = value;
    } else if (name == "history") {
      ASSIGN_OR_RETURN(q.include_history, ParseBool(name, value));
    } else if (name == "needs_metadata") {
      ASSIGN_OR_RETURN(q.needs_metadata, ParseBool(name, value));
    } else if (name == "sort") {
      if (value == "date") {
        q.sort = SearchSort::kDate;
      } else if (value == "amount") {
        q.sort = SearchSort::kAmount;
      } else if (value == "counterparty") {
        q.sort = SearchSort::kCounterparty;
      } else if (value == "received") {
        q.sort = SearchSort::kReceived;
      } else {
        return Bad(name, "date、amount、counterparty、received のいずれかで指定してください（" +
                             Shown(value) + "）");
      }
    } else if (name == "desc") {
      ASSIGN_OR_RETURN(q.descending, ParseBool(name, value));
    } else if (name == "order") {
      if (value != "asc" && value != "desc") {
        return Bad(name, "asc か desc で指定してください（" + Shown(value) + "）");
      }
      q.descending = value == "desc";
    } else if (name == "limit") {
      ASSIGN_OR_RETURN(uint64_t n, ParseCount(name, value));
      if (n < 1 || n > 1000) return Bad(name, "1 から 1000 の間で指定してください");
      q.limit = static_cast<uint32_t>(n);
    } else if (name == "offset") {
      ASSIGN_OR_RETURN(q.offset, ParseCount(name, value));
    } else if (name == "after") {
      q.after = value;
    } else if (name == "count") {
      ASSIGN_OR_RETURN(q.count, ParseBool(name, value));
    } else {
      return Bad(name, "使えない検索条件です。使える条件は docs/API.md の検索の節にあります");
    }
  }
  RETURN_IF_ERROR(ValidateSearchQuery(q));
  return q;
}

json ToJson(const SearchItem& i) {
  json j = json::object();
  j["id"] = i.id;
  j["version"] = i.version;
  j["current"] = i.current;
  j["issue_date"] = i.issue_date ? json(*i.issue_date) : json(nullptr);
  j["total"] = i.total ? json(*i.total) : json(nullptr);
  j["currency"] = i.currency;
  j["counterparty"] = i.counterparty;
  j["registration_number"] = i.registration_number;
  j["department"] = i.department;
  j["type"] = i.type;
  j["format"] = i.format;
  j["invoice_number"] = i.invoice_number;
  j["file_name"] = i.file_name;
  j["received_date"] = i.received_date;
  j["needs_metadata"] = i.needs_metadata;
  if (i.disposed) {
    j["disposed"] = true;
    j["state_label"] = "廃棄済み";
  }
  return j;
}

json ToJson(const SearchResult& r) {
  json items = json::array();
  for (const SearchItem& i : r.items) items.push_back(ToJson(i));
  return json{{"count", r.count},
              {"items", std::move(items)},
              {"next", r.next ? json(*r.next) : json(nullptr)}};
}

std::string SearchCsvHeader() {
  return "\xEF\xBB\xBF"
         "文書ID,版,最新,取引年月日,取引金額,通貨,取引先,登録番号,部署,種類,形式,請求書番号,"
         "ファイル名,受領日,要入力\r\n";
}

std::string SearchCsvRows(const std::vector<SearchItem>& items) {
  std::string out;
  for (const SearchItem& i : items) {
    const std::string fields[] = {i.id,
                                  std::to_string(i.version),
                                  i.current ? "1" : "0",
                                  i.issue_date.value_or(""),
                                  i.total.value_or(""),
                                  i.currency,
                                  i.counterparty,
                                  i.registration_number,
                                  i.department,
                                  i.type,
                                  i.format,
                                  i.invoice_number,
                                  i.file_name,
                                  i.received_date,
                                  i.needs_metadata ? "1" : "0"};
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      first = false;
      out += base::CsvField(f);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace archive
