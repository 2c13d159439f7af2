#include "app/internal/registry_cli.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/error_text.h"
#include "app/internal/cli_japanese.h"
#include "app/open_archive.h"
#include "base/date.h"
#include "base/file_system.h"
#include "base/time.h"
#include "workflow/nta_registry.h"
#include "workflow/workflow.h"

namespace app::internal {
namespace {

using base::Status;
using nlohmann::json;

constexpr uint64_t kMaxFileBytes = uint64_t{8} << 30;
constexpr size_t kErrorsShown = 100;

struct Args {
  std::vector<std::string> files, ids;
  bool diff = false;
  std::string date, as;
};

workflow::User Actor(const Context& ctx, const Args& a) {
  if (a.as.empty()) return workflow::Workflow::SystemUser(ctx.user);
  workflow::User u;
  u.login = a.as;
  return u;
}

std::string RegistryDir(const Context& ctx) { return base::JoinPath(ctx.data_dir, "registry"); }

std::string Today(const Context& ctx) { return base::Date::InJapan(ctx.clock->Now()).ToString(); }

// The 差分's date: --date, else YYYYMMDD in the first file's name.
std::string DiffDate(const Args& a) {
  if (!a.date.empty() || !a.diff) return a.date;
  const std::string& name = a.files.front();
  for (size_t i = 0; i + 8 <= name.size(); ++i) {
    const std::string d = name.substr(i, 8);
    if (d.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string iso = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
    if (base::Date::Parse(iso).ok()) return iso;
  }
  return "";
}

Status ReadFiles(const Context& ctx, const Args& a, workflow::RegistryRows* rows,
                 json* files) {
  std::vector<workflow::RegistryRowError> errors;
  for (const std::string& path : a.files) {
    workflow::RegistryFileInfo info;
    {
      ASSIGN_OR_RETURN(const std::string bytes, ctx.fs->ReadFile(path, kMaxFileBytes));
      RETURN_IF_ERROR(
          workflow::ReadRegistryFile(base::BaseName(path), bytes, rows, &errors, &info));
    }
    files->push_back({{"name", info.name},
                      {"sha256", info.sha256},
                      {"rows", info.rows},
                      {"errors", info.errors}});
  }
  for (size_t i = 0; i < errors.size() && i < kErrorsShown; ++i) {
    std::fprintf(ctx.err, "kura: %s %d 行目: %s（この行は取り込みません）\n",
                 errors[i].file.c_str(), errors[i].line, errors[i].message.c_str());
  }
  if (errors.size() > kErrorsShown) {
    std::fprintf(ctx.err, "kura: ほかに %zu 行を取り込めませんでした\n",
                 errors.size() - kErrorsShown);
  }
  return Status::OK();
}

Status Import(const Context& ctx, const Args& a, workflow::Workflow* wf) {
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(auto registry, workflow::NtaRegistry::Open(RegistryDir(ctx)));
  RETURN_IF_ERROR(registry->LockForImport());
  workflow::RegistryRows rows;
  json files = json::array();
  RETURN_IF_ERROR(ReadFiles(ctx, a, &rows, &files));
  if (rows.size() == 0) return Status::InvalidArgument("取り込める行がありません");
  const uint64_t read = rows.size();
  workflow::RegistrySnapshot next;
  next.seq = registry->snapshot().seq + 1;
  char id[16];
  std::snprintf(id, sizeof id, "R%06llu", static_cast<unsigned long long>(next.seq));
  next.id = id;
  next.kind = a.diff ? "diff" : "full";
  next.diff_date = DiffDate(a);
  next.imported_at = base::FormatRfc3339(ctx.clock->Now());
  next.files = files;
  const auto commit = [&] {
    json record = workflow::ToJson(next);
    record.erase("rows");
    record["rows_read"] = read;
    return wf->RecordRegistryImport(record, Actor(ctx, a));
  };
  ASSIGN_OR_RETURN(const workflow::RegistrySnapshot done,
                   a.diff ? registry->ApplyDiff(std::move(rows), next, commit)
                          : registry->InstallFull(std::move(rows), next, commit));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintJsonLine(ctx, {{"registry", workflow::ToJson(done)},
                      {"rows_read", read},
                      {"seconds", seconds},
                      {"rows_per_second", seconds > 0 ? read / seconds : 0.0},
                      {"attribution", std::string(workflow::kRegistryAttribution)}});
  return Status::OK();
}

base::Result<json> CheckOne(const Context& ctx, const std::string& id, const OpenedArchive& opened,
                      workflow::Workflow* wf, const workflow::NtaRegistry* registry) {
  if (!id.empty() && id[0] == 'V') {
    ASSIGN_OR_RETURN(const workflow::Vendor v, wf->GetVendor(id));
    json j = workflow::ToJson(workflow::CheckRegistration(registry, v.registration_number,
                                                          Today(ctx), v.name, Today(ctx)));
    j["id"] = id;
    j["of"] = "vendor";
    return j;
  }
  ASSIGN_OR_RETURN(const archive::DocumentView view, opened.archive->Get(id));
  if (view.versions.empty()) return Status::NotFound("書類に版がありません: " + id);
  // The same check as the invoice's JSON (GET /api/v1/documents/{id}).
  ASSIGN_OR_RETURN(const workflow::RegistryCheck check,
                   wf->CheckDocumentRegistration(registry, view));
  json j = workflow::ToJson(check);
  j["id"] = id;
  j["of"] = "document";
  return j;
}

int Check(const Context& ctx, const Args& a) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) return PrintError(ctx.err, opened.status()), kExitUsage;
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) return PrintError(ctx.err, wf.status()), kExitUsage;
  auto registry = workflow::NtaRegistry::Open(RegistryDir(ctx));
  if (!registry.ok()) return PrintError(ctx.err, registry.status()), kExitFailed;
  int rc = kExitOk;
  for (const std::string& id : a.ids) {
    auto j = CheckOne(ctx, id, *opened, wf->get(), registry->get());
    if (!j.ok()) {
      PrintError(ctx.err, j.status());
      rc = kExitFailed;
      continue;
    }
    PrintJsonLine(ctx, *j);
    if (!j->value("ok", false)) {
      for (const json& reason : j->at("reasons")) {
        std::fprintf(ctx.err, "kura: 警告: %s: %s\n", id.c_str(),
                     reason.is_string() ? reason.get_ref<const std::string&>().c_str() : "");
      }
    }
  }
  return rc;
}

// Every archived invoice whose registration was valid on its date and
// lapsed (取消/失効) after it, on or before today
// (Workflow::LapsedRegistrations).
int Lapsed(const Context& ctx) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) return PrintError(ctx.err, opened.status()), kExitUsage;
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) return PrintError(ctx.err, wf.status()), kExitUsage;
  auto registry = workflow::NtaRegistry::Open(RegistryDir(ctx));
  if (!registry.ok()) return PrintError(ctx.err, registry.status()), kExitFailed;
  auto list = (*wf)->LapsedRegistrations(registry->get(), workflow::Workflow::SystemUser(ctx.user));
  if (!list.ok()) return PrintError(ctx.err, list.status()), kExitFailed;
  std::fprintf(ctx.err, "kura: 請求書の日付より後に登録が取消・失効した請求書が %zu 件あります\n",
               list->items.size());
  PrintJsonLine(ctx, workflow::ToJson(*list));
  return kExitOk;
}

}  // namespace

void AddRegistryCommands(CLI::App* cli, const Context& ctx, int* rc) {
  auto a = std::make_shared<Args>();
  auto* r = cli->add_subcommand("registry", "国税庁の適格請求書発行事業者公表データ（オフライン）");
  r->require_subcommand(1);
  auto* imp = r->add_subcommand("import", "公表サイトの全件データ・差分データ（ZIP または CSV）を取り込む");
  imp->add_option("FILE", a->files, "ダウンロードしたファイル（法人・個人・人格のない社団等）")
      ->required();
  imp->add_flag("--diff", a->diff, "差分データとして今の公表データに当てる");
  imp->add_option("--date", a->date, "差分データの日付 YYYY-MM-DD（既定: ファイル名の8桁の日付）");
  imp->add_option("--as", a->as, "取り込む会計室・管理者のログインID");
  imp->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) { return Import(ctx, *a, wf); });
  });
  auto* check = r->add_subcommand("check", "請求書（書類ID）や債権者（V…）の登録を公表データで確かめる");
  check->add_option("ID", a->ids, "書類ID（D…）または債権者番号（V…）")->required();
  check->callback([&ctx, rc, a] { *rc = Check(ctx, *a); });
  auto* lapsed = r->add_subcommand("lapsed", "請求書の日付より後に登録が取消・失効した請求書の一覧");
  lapsed->callback([&ctx, rc] { *rc = Lapsed(ctx); });
}

}  // namespace app::internal
