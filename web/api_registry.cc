// The 国税庁 registry offline (/api/v1/registry...): the snapshot the data
// directory holds, with the source attribution the 公共データ利用規約 asks
// for, and the invoices whose registration lapsed (取消/失効) after their
// date, for the accounting office. Who may and which invoices are listed are
// the workflow's decisions (Workflow::RegistryStatus, LapsedRegistrations);
// the registry is imported by the operator (`kura registry import`).
#include <memory>
#include <mutex>
#include <string>

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

void Lapsed(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto registry = DataDirRegistry(ctx);
  auto list = ctx.workflow->LapsedRegistrations(registry.get(), c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json j = workflow::ToJson(*list);
  if (list->snapshot.seq == 0) j["snapshot"] = nullptr;
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
