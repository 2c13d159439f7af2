// 効果の見える化 (GET /api/v1/figures): the figures of a period for the
// managers who must show what the new way of working achieved. Who may see
// them, and which departments they cover, is the workflow's decision
// (Workflow::GetFigures: MayViewFigures and the read scope).
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/figures.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

void Figures(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             const Caller& c) {
  std::vector<std::pair<std::string, std::string>> params(req.params.begin(), req.params.end());
  auto q = workflow::FiguresQueryFromParams(params);
  if (!q.ok()) return SendStatus(req, res, q.status());
  auto figures = ctx.workflow->GetFigures(std::move(*q), c.user);
  if (!figures.ok()) return SendStatus(req, res, figures.status());
  SendJson(res, 200, workflow::ToJson(*figures));
}

}  // namespace

void AddFigureRoutes(const ApiRoutes& r) { r.Read("GET", "/api/v1/figures", Figures); }

}  // namespace web::internal
