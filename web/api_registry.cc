// The 国税庁 registry offline (/api/v1/registry...): the snapshot the data
// directory holds, with the source attribution the 公共データ利用規約 asks
// for, and the invoices whose registration lapsed (取消/失効) after their
// date, for the accounting office. Who may and which invoices are listed are
// the workflow's decisions (Workflow::RegistryStatus, LapsedRegistrations);
// the registry is imported by the operator (`kura registry import`).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/file_system.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/nta_registry.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

void Snapshot(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto registry = DataDirRegistry(ctx);
  auto snapshot = ctx.workflow->RegistryStatus(registry.get(), c.user);
  if (!snapshot.ok()) return SendStatus(req, res, snapshot.status());
  SendJson(res, 200,
           {{"imported", snapshot->seq != 0},
            {"snapshot", snapshot->seq != 0 ? workflow::ToJson(*snapshot) : json(nullptr)},
            {"attribution", std::string(workflow::kRegistryAttribution)}});
}

constexpr int64_t kLapsedDefaultLimit = 50;
constexpr int64_t kLapsedMaxLimit = 200;

// ?offset= (0) and ?limit= (50, at most 200); bad values fall back.
std::pair<int64_t, int64_t> LapsedPage(const httplib::Request& req) {
  auto number = [&](const char* key, int64_t fallback) {
    const std::string v = req.get_param_value(key);
    const bool digits =
        std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (v.empty() || v.size() > 9 || !digits) return fallback;
    return static_cast<int64_t>(std::stoll(v));
  };
  return {number("offset", 0),
          std::clamp<int64_t>(number("limit", kLapsedDefaultLimit), 1, kLapsedMaxLimit)};
}

// GET /api/v1/registry/lapsed?offset=&limit= → ToJson(LapsedList) with
// "items" the page asked for, "count" and "total" every such invoice.
void Lapsed(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto registry = DataDirRegistry(ctx);
  auto list = ctx.workflow->LapsedRegistrations(registry.get(), c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json j = workflow::ToJson(*list);
  if (list->snapshot.seq == 0) j["snapshot"] = nullptr;
  const auto [offset, limit] = LapsedPage(req);
  const json& all = j["items"];
  const int64_t total = static_cast<int64_t>(all.size());
  json page = json::array();
  for (int64_t i = offset; i < total && i < offset + limit; ++i) page.push_back(all[i]);
  j["items"] = std::move(page);
  j["total"] = total;
  j["offset"] = offset;
  j["limit"] = limit;
  SendJson(res, 200, j);
}

}  // namespace

std::shared_ptr<const workflow::NtaRegistry> DataDirRegistry(ApiContext& ctx) {
  static std::mutex mu;
  static std::string opened_dir;
  static std::shared_ptr<const workflow::NtaRegistry> registry;
  const std::string dir = base::JoinPath(ctx.archive->ledger().layout().root, "registry");
  std::lock_guard<std::mutex> lock(mu);
  if (!registry || opened_dir != dir) {
    auto r = workflow::NtaRegistry::Open(dir);
    registry = r.ok() ? std::shared_ptr<const workflow::NtaRegistry>(std::move(*r)) : nullptr;
    opened_dir = dir;
  }
  return registry;
}

void AddRegistryRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/registry", Snapshot);
  r.Read("GET", "/api/v1/registry/lapsed", Lapsed);
}

}  // namespace web::internal
