// GET /api/v1/compliance/report: the 電子帳簿保存法 requirement report with
// the archive's live state and the values to pin (compliance/report.h), for
// compliance officers and auditors. Who may read it is workflow/access.h's
// MayReadRetention; this only maps JSON (or, with ?format=text, the same
// Japanese text `kura compliance report` prints).
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "compliance/report.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"

namespace web::internal {
namespace {

void Report(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "text") {
    return SendStatus(req, res,
                      base::Status::InvalidArgument("format は json か text で指定してください"));
  }
  if (const base::Status s = workflow::MayReadRetention(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto retention = ctx.Retention();
  if (!retention.ok()) return SendStatus(req, res, retention.status());
  auto report = compliance::BuildReport(*ctx.archive, **retention, c.user, ctx.clock->Now());
  if (!report.ok()) return SendStatus(req, res, report.status());
  if (format == "text") {
    res.status = 200;
    res.set_content(compliance::ReportText(*report), "text/plain; charset=utf-8");
    return;
  }
  SendJson(res, 200, compliance::ToJson(*report));
}

}  // namespace

void AddComplianceRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/compliance/report", Report);
}

}  // namespace web::internal
