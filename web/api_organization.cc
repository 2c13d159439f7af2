// The organisation: departments (GET for everyone logged in; POST, a new
// one, for administrators) and the vendor master (債権者マスタ: GET the
// list and one entry for everyone logged in; POST a new entry and POST
// /api/v1/vendors/{id} a change, for the accounting office and
// administrators; GET of one entry adds the departments that use it,
// derived by Workflow::VendorDepartments). The workflow decides who may
// and writes the events.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

void Departments(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Caller&) {
  auto list = ctx.workflow->ListDepartments();
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& d : *list) items.push_back(workflow::ToJson(d));
  SendJson(res, 200, json{{"items", items}});
}

// POST /api/v1/departments {"code", "name"} → 201 with the department as
// stored.
void CreateDepartment(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const workflow::Department d{StringMember(*body, "code"), StringMember(*body, "name")};
  if (const base::Status s = ctx.workflow->CreateDepartment(d, c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto list = ctx.workflow->ListDepartments();
  if (!list.ok()) return SendStatus(req, res, list.status());
  for (const auto& stored : *list) {
    if (stored.code == d.code) return SendJson(res, 201, workflow::ToJson(stored));
  }
  SendJson(res, 201, workflow::ToJson(d));
}

void Vendors(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller&) {
  auto list = ctx.workflow->ListVendors();
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& v : *list) items.push_back(workflow::ToJson(v));
  SendJson(res, 200, json{{"items", items}});
}

void OneVendor(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller&) {
  auto v = ctx.workflow->GetVendor(req.matches[1].str());
  if (!v.ok()) return SendStatus(req, res, v.status());
  auto used = ctx.workflow->VendorDepartments(v->id);
  if (!used.ok()) return SendStatus(req, res, used.status());
  json body = workflow::ToJson(*v);
  json departments = json::array();
  for (const auto& d : *used) {
    departments.push_back({{"code", d.code},
                           {"name", d.name},
                           {"invoices", d.invoices},
                           {"commitments", d.commitments},
                           {"legacy_numbers", d.legacy_numbers}});
  }
  body["departments"] = std::move(departments);
  SendJson(res, 200, body);
}

void CreateVendor(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto vendor = workflow::VendorFromRequest(*body);
  if (!vendor.ok()) return SendStatus(req, res, vendor.status());
  auto created = ctx.workflow->CreateVendor(*vendor, c.user);
  if (!created.ok()) return SendStatus(req, res, created.status());
  SendJson(res, 201, workflow::ToJson(*created));
}

void UpdateVendor(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto change = workflow::VendorChangeFromRequest(*body);
  if (!change.ok()) return SendStatus(req, res, change.status());
  auto updated = ctx.workflow->UpdateVendor(req.matches[1].str(), *change, c.user);
  if (!updated.ok()) return SendStatus(req, res, updated.status());
  SendJson(res, 200, workflow::ToJson(*updated));
}

}  // namespace

void AddOrganizationRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/departments", Departments);
  r.Change("POST", "/api/v1/departments", CreateDepartment);
  r.Read("GET", "/api/v1/vendors", Vendors);
  r.Change("POST", "/api/v1/vendors", CreateVendor);
  r.Read("GET", "/api/v1/vendors/([^/]+)", OneVendor);
  r.Change("POST", "/api/v1/vendors/([^/]+)", UpdateVendor);
}

}  // namespace web::internal
