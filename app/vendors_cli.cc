#include "app/internal/vendors_cli.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/error_text.h"
#include "app/internal/cli_japanese.h"
#include "app/open_archive.h"
#include "signing/sha256.h"
#include "workflow/workflow.h"

namespace app::internal {
namespace {

using base::Status;
using nlohmann::json;

constexpr uint64_t kMaxExportBytes = uint64_t{1} << 30;

struct Args {
  std::string file, encoding = "auto", format = "csv", as, survivor, reason;
  std::vector<std::string> numbers;
  bool skip_invalid = false;
};

// --as LOGIN (re-read from the users table inside each write), or the OS
// user with an administrator's rights.
workflow::User Actor(const Context& ctx, const Args& a) {
  if (a.as.empty()) return workflow::Workflow::SystemUser(ctx.user);
  workflow::User u;
  u.login = a.as;
  return u;
}

Status Import(const Context& ctx, const Args& a, workflow::Workflow* wf) {
  ASSIGN_OR_RETURN(const workflow::LegacyEncoding encoding,
                   workflow::ParseLegacyEncoding(a.encoding));
  // The slow part — reading, decoding, parsing — before any transaction.
  ASSIGN_OR_RETURN(const std::string bytes, ctx.fs->ReadFile(a.file, kMaxExportBytes));
  ASSIGN_OR_RETURN(const workflow::LegacyParse parse,
                   workflow::ParseLegacyCreditors(bytes, encoding));
  for (const workflow::LegacyRowError& e : parse.errors) {
    std::fprintf(ctx.err, "kura: %d 行目%s: %s\n", e.line,
                 e.number.empty() ? "" : ("（債権者番号 " + e.number + "）").c_str(),
                 e.message.c_str());
  }
  if (!parse.errors.empty() && !a.skip_invalid) {
    return Status::FailedPrecondition(
        std::to_string(parse.errors.size()) +
        " 行に誤りがあるため、何も取り込んでいません。直して取り込み直すか、"
        "--skip-invalid で正しい行だけを取り込んでください");
  }
  const std::string sha256 = signing::Sha256(bytes).Hex();
  ASSIGN_OR_RETURN(const std::string id,
                   wf->ImportLegacyCreditors(parse, a.file, sha256, Actor(ctx, a)));
  PrintJsonLine(ctx, {{"import", id},
                      {"file", a.file},
                      {"sha256", sha256},
                      {"encoding", parse.encoding},
                      {"rows", parse.rows.size()},
                      {"skipped", parse.errors.size()},
                      {"ignored_columns", parse.ignored_columns}});
  return Status::OK();
}

Status Duplicates(const Context& ctx, const Args& a, workflow::Workflow* wf) {
  ASSIGN_OR_RETURN(const auto clusters, wf->FindDuplicateCreditors(Actor(ctx, a)));
  if (a.format == "csv") {
    const std::string csv = workflow::ClustersCsv(clusters);
    std::fwrite(csv.data(), 1, csv.size(), ctx.out);
  } else {
    json list = json::array();
    for (const auto& c : clusters) list.push_back(workflow::ToJson(c));
    PrintJsonLine(ctx, {{"count", clusters.size()}, {"clusters", std::move(list)}});
  }
  std::fprintf(ctx.err, "kura: 同じ債権者と思われるまとまりが %zu 件あります\n", clusters.size());
  return Status::OK();
}

void AddImport(CLI::App* v, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  auto* imp = v->add_subcommand("import", "旧システムの債権者一覧（CSV）を旧債権者番号として取り込む");
  imp->add_option("FILE", a->file, "債権者一覧の CSV（UTF-8 または Shift_JIS）")->required();
  imp->add_option("--encoding", a->encoding, "文字コード: auto（既定）、utf-8、cp932")
      ->check(OneOf({"auto", "utf-8", "cp932"}));
  imp->add_flag("--skip-invalid", a->skip_invalid, "誤りのある行を除いて取り込む");
  imp->add_option("--as", a->as, "取り込む会計室・管理者のログインID");
  imp->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) { return Import(ctx, *a, wf); });
  });
}

void AddDecisions(CLI::App* v, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  auto* dup = v->add_subcommand("duplicates", "同じ債権者と思われる番号のまとまりを理由つきで表示する");
  dup->add_option("--format", a->format, "csv（既定、BOM 付き UTF-8）または json")
      ->check(OneOf({"csv", "json"}));
  dup->add_option("--as", a->as, "見る人のログインID");
  dup->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) { return Duplicates(ctx, *a, wf); });
  });
  auto* merge = v->add_subcommand("merge", "旧債権者番号を統合先（債権者マスタの番号など）にまとめる");
  merge->add_option("SURVIVOR", a->survivor, "統合先の番号")->required();
  merge->add_option("NUMBER", a->numbers, "統合する旧債権者番号")->required();
  merge->add_option("--reason", a->reason, "統合の理由（同じ取引先と判断した根拠。必須）")->required();
  merge->add_option("--as", a->as, "統合する会計室・管理者のログインID");
  merge->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) -> Status {
      RETURN_IF_ERROR(wf->MergeCreditors(a->survivor, a->numbers, Actor(ctx, *a), a->reason));
      PrintJsonLine(ctx, {{"survivor", a->survivor}, {"numbers", a->numbers}});
      return Status::OK();
    });
  });
  auto* unmerge = v->add_subcommand("unmerge", "統合を取り消す（記録は残る）");
  unmerge->add_option("NUMBER", a->numbers, "統合を取り消す旧債権者番号")->required();
  unmerge->add_option("--as", a->as, "取り消す会計室・管理者のログインID");
  unmerge->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) -> Status {
      RETURN_IF_ERROR(wf->UnmergeCreditors(a->numbers, Actor(ctx, *a)));
      PrintJsonLine(ctx, {{"unmerged", a->numbers}});
      return Status::OK();
    });
  });
}

}  // namespace

void AddVendorsCommands(CLI::App* cli, const Context& ctx, int* rc) {
  auto a = std::make_shared<Args>();
  auto* v = cli->add_subcommand("vendors", "旧債権者番号の取り込みと統合（債権者を一つの番号に）");
  v->require_subcommand(1);
  AddImport(v, ctx, rc, a);
  AddDecisions(v, ctx, rc, a);
}

}  // namespace app::internal
