// Legacy creditor numbers (/api/v1/legacy-creditors/...): the accounting
// office's 旧債権者番号の統合 — the proposed clusters (paged, each member with
// what the old export says of it), the active merges, merge and undo, and
// the upload of an export. Who may, which numbers may merge and how the
// export is read are the workflow's decisions (workflow.h "Legacy creditor
// numbers", legacy_creditors.h, vendor_clusters.h); this maps JSON.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "signing/sha256.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/legacy_creditors.h"
#include "workflow/vendor_clusters.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

constexpr int64_t kDefaultLimit = 20;
constexpr int64_t kMaxLimit = 100;
// Refused rows listed in an upload's answer (the count is always given).
constexpr size_t kMaxRefusedListed = 200;

// ?offset= and ?limit= (20 by default, at most 100); bad values fall back.
std::pair<int64_t, int64_t> Page(const httplib::Request& req) {
  auto number = [&](const char* key, int64_t fallback) {
    const std::string v = req.get_param_value(key);
    const bool digits = std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (v.empty() || v.size() > 9 || !digits) return fallback;
    return static_cast<int64_t>(std::stoll(v));
  };
  const int64_t limit = std::clamp<int64_t>(number("limit", kDefaultLimit), 1, kMaxLimit);
  return {number("offset", 0), limit};
}

// The members of bank_account "bank:branch:type:number" of the master.
void SplitAccount(const std::string& account, json* m) {
  std::vector<std::string> parts(1);
  for (char ch : account) {
    if (ch == ':') {
      parts.emplace_back();
    } else {
      parts.back() += ch;
    }
  }
  parts.resize(4);
  (*m)["bank_code"] = parts[0];
  (*m)["branch_code"] = parts[1];
  (*m)["account_type"] = parts[2];
  (*m)["account_number"] = parts[3];
}

// A cluster as ToJson has it, each member with what its record says too:
// name_kana, registration_number, corporate_number, the bank account and
// its holder.
json ClusterJson(const workflow::VendorCluster& c,
                 const std::map<std::string, workflow::LegacyCreditor>& legacy,
                 const std::map<std::string, workflow::Vendor>& master) {
  json j = workflow::ToJson(c);
  for (json& m : j["members"]) {
    const std::string number = m.value("number", "");
    if (auto it = legacy.find(number); it != legacy.end() && m.value("source", "") == "legacy") {
      const json full = workflow::ToApiJson(it->second);
      for (const char* key : {"name_kana", "registration_number", "corporate_number", "bank_code",
                              "branch_code", "account_type", "account_number", "account_holder"}) {
        m[key] = full.value(key, "");
      }
    } else if (auto v = master.find(number); v != master.end()) {
      m["name_kana"] = "";
      m["registration_number"] = v->second.registration_number;
      m["corporate_number"] = "";
      SplitAccount(v->second.bank_account, &m);
      m["account_holder"] = v->second.account_holder;
    }
  }
  return j;
}

// GET /api/v1/legacy-creditors/clusters?offset=&limit= → {"total",
// "offset", "limit", "items": [cluster]}.
void Clusters(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto clusters = ctx.workflow->FindDuplicateCreditors(c.user);
  if (!clusters.ok()) return SendStatus(req, res, clusters.status());
  auto rows = ctx.workflow->ListLegacyCreditors(c.user);
  if (!rows.ok()) return SendStatus(req, res, rows.status());
  auto vendors = ctx.workflow->ListVendors();
  if (!vendors.ok()) return SendStatus(req, res, vendors.status());
  std::map<std::string, workflow::LegacyCreditor> legacy;
  for (auto& r : *rows) legacy.emplace(r.number, std::move(r));
  std::map<std::string, workflow::Vendor> master;
  for (auto& v : *vendors) master.emplace(v.id, std::move(v));
  const auto [offset, limit] = Page(req);
  json items = json::array();
  const int64_t total = static_cast<int64_t>(clusters->size());
  for (int64_t i = offset; i < total && i < offset + limit; ++i) {
    items.push_back(ClusterJson((*clusters)[static_cast<size_t>(i)], legacy, master));
  }
  SendJson(res, 200,
           json{{"total", total}, {"offset", offset}, {"limit", limit}, {"items", items}});
}

// GET /api/v1/legacy-creditors/merges?offset=&limit= → {"total", "offset",
// "limit", "items": [{"number", "name", "survivor", "survivor_name",
// "merged_by", "merged_at", "reason"}]}, the latest merge first.
void Merges(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto merges = ctx.workflow->ListCreditorMerges(c.user);
  if (!merges.ok()) return SendStatus(req, res, merges.status());
  auto rows = ctx.workflow->ListLegacyCreditors(c.user);
  if (!rows.ok()) return SendStatus(req, res, rows.status());
  auto vendors = ctx.workflow->ListVendors();
  if (!vendors.ok()) return SendStatus(req, res, vendors.status());
  std::map<std::string, std::string> names;
  for (const auto& r : *rows) names[r.number] = r.name;
  for (const auto& v : *vendors) names[v.id] = v.name;
  std::stable_sort(merges->begin(), merges->end(), [](const auto& a, const auto& b) {
    return a.merged_at > b.merged_at;
  });
  const auto [offset, limit] = Page(req);
  json items = json::array();
  const int64_t total = static_cast<int64_t>(merges->size());
  for (int64_t i = offset; i < total && i < offset + limit; ++i) {
    const auto& m = (*merges)[static_cast<size_t>(i)];
    items.push_back({{"number", m.number},
                     {"name", names[m.number]},
                     {"survivor", m.survivor},
                     {"survivor_name", names[m.survivor]},
                     {"merged_by", m.merged_by},
                     {"merged_at", m.merged_at},
                     {"reason", m.reason}});
  }
  SendJson(res, 200,
           json{{"total", total}, {"offset", offset}, {"limit", limit}, {"items", items}});
}

// The strings of body[key] (an array); InvalidArgument for anything else.
base::Result<std::vector<std::string>> Numbers(const json& body) {
  const auto it = body.find("numbers");
  if (it == body.end() || !it->is_array()) {
    return Status::InvalidArgument("numbers に番号の配列を指定してください");
  }
  std::vector<std::string> out;
  for (const json& n : *it) {
    if (!n.is_string()) return Status::InvalidArgument("numbers の各要素は文字列です");
    out.push_back(n.get<std::string>());
  }
  return out;
}

// POST /api/v1/legacy-creditors/merges {"survivor", "numbers", "reason"}
// → 201 {"survivor", "numbers"}.
void Merge(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
           const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto numbers = Numbers(*body);
  if (!numbers.ok()) return SendStatus(req, res, numbers.status());
  const std::string survivor = StringMember(*body, "survivor");
  const std::string reason = StringMember(*body, "reason");
  if (const Status s = workflow::MayManageVendors(c.user); !s.ok()) return SendStatus(req, res, s);
  if (const Status s = ctx.workflow->MergeCreditors(survivor, *numbers, c.user, reason); !s.ok()) {
    return SendStatus(req, res, s);
  }
  SendJson(res, 201, json{{"survivor", survivor}, {"numbers", *numbers}});
}

// POST /api/v1/legacy-creditors/unmerges {"numbers", "reason"} → 200
// {"unmerged": numbers}.
void Unmerge(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto numbers = Numbers(*body);
  if (!numbers.ok()) return SendStatus(req, res, numbers.status());
  const Status s = ctx.workflow->UnmergeCreditors(*numbers, c.user, StringMember(*body, "reason"));
  if (!s.ok()) return SendStatus(req, res, s);
  SendJson(res, 200, json{{"unmerged", *numbers}});
}

// A person's summary of what an upload read and refused.
std::string Summary(const workflow::LegacyParse& parse, bool imported) {
  const std::string encoding = parse.encoding == "cp932" ? "Shift_JIS（CP932）" : "UTF-8";
  std::string s = "文字コード " + encoding + " として読みました。正しい行 " +
                  std::to_string(parse.rows.size()) + " 件、誤りのある行 " +
                  std::to_string(parse.errors.size()) + " 件。";
  if (imported) {
    s += std::to_string(parse.rows.size()) + " 件を取り込みました。";
    if (!parse.errors.empty()) s += "誤りのある行は取り込んでいません。";
  } else {
    s += "誤りのある行があるため、何も取り込んでいません。直して取り込み直すか、"
         "「誤りのある行を除いて取り込む」を選んでください。";
  }
  if (!parse.ignored_columns.empty()) {
    s += "読まなかった列: ";
    for (size_t i = 0; i < parse.ignored_columns.size(); ++i) {
      s += (i ? "、" : "") + parse.ignored_columns[i];
    }
    s += "。";
  }
  return s;
}

json UploadJson(const workflow::LegacyParse& parse, const std::string& file, bool imported,
                const std::string& id) {
  json refused = json::array();
  for (size_t i = 0; i < parse.errors.size() && i < kMaxRefusedListed; ++i) {
    const auto& e = parse.errors[i];
    refused.push_back({{"line", e.line}, {"number", e.number}, {"message", e.message}});
  }
  return {{"imported", imported},         {"import", id},
          {"file", file},                 {"encoding", parse.encoding},
          {"rows", parse.rows.size()},    {"refused_count", parse.errors.size()},
          {"refused", refused},           {"ignored_columns", parse.ignored_columns},
          {"summary", Summary(parse, imported)}};
}

// POST /api/v1/legacy-creditors/imports (multipart: file, encoding
// auto|utf-8|cp932, skip_invalid "1"): the import of `kura vendors
// import`. 201 with the summary when imported; 200 with "imported": false
// when rows were refused and skip_invalid was not given.
void Import(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  if (const Status s = workflow::MayManageVendors(c.user); !s.ok()) return SendStatus(req, res, s);
  if (!req.has_file("file")) {
    return SendStatus(req, res, Status::InvalidArgument("債権者一覧の CSV ファイルを選んでください"));
  }
  const httplib::MultipartFormData file = req.get_file_value("file");
  if (file.content.size() > ctx.options.max_legacy_creditors_bytes) {
    return SendStatus(req, res,
                      Status::ResourceExhausted(
                          "ファイルが上限（" +
                          std::to_string(ctx.options.max_legacy_creditors_bytes >> 20) +
                          " MiB）を超えています"));
  }
  const std::string encoding_name =
      req.has_file("encoding") ? req.get_file_value("encoding").content : "auto";
  const bool skip_invalid =
      req.has_file("skip_invalid") && req.get_file_value("skip_invalid").content == "1";
  auto encoding = workflow::ParseLegacyEncoding(encoding_name);
  if (!encoding.ok()) return SendStatus(req, res, encoding.status());
  auto parse = workflow::ParseLegacyCreditors(file.content, *encoding);
  if (!parse.ok()) return SendStatus(req, res, parse.status());
  const std::string name = BaseName(file.filename);
  if (!parse->errors.empty() && !skip_invalid) {
    return SendJson(res, 200, UploadJson(*parse, name, false, ""));
  }
  const std::string sha256 = signing::Sha256(file.content).Hex();
  auto id = ctx.workflow->ImportLegacyCreditors(*parse, name, sha256, c.user);
  if (!id.ok()) return SendStatus(req, res, id.status());
  SendJson(res, 201, UploadJson(*parse, name, true, *id));
}

}  // namespace

void AddLegacyCreditorRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/legacy-creditors/clusters", Clusters);
  r.Read("GET", "/api/v1/legacy-creditors/merges", Merges);
  r.Change("POST", "/api/v1/legacy-creditors/merges", Merge);
  r.Change("POST", "/api/v1/legacy-creditors/unmerges", Unmerge);
  r.Change("POST", "/api/v1/legacy-creditors/imports", Import);
}

}  // namespace web::internal
