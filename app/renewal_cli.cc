#include "app/internal/renewal_cli.h"

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/error_text.h"
#include "app/open_archive.h"
#include "ledger/data_dir.h"
#include "ledger/tsa_roll.h"
#include "retention/renewal.h"
#include "signing/tsa_cert_info.h"

namespace app::internal {
namespace {

using base::Status;
using nlohmann::json;

constexpr int kOk = 0, kFailed = 1, kUsage = 2;

struct Args {
  bool force = false, dry_run = false;
  std::string id;
};

std::string Day(base::Time t) { return base::Date::InJapan(t).ToString(); }

// The built-in TSA's certificate roll before the renewal (a dry run only
// says whether it is due). Null json for an external TSA.
base::Result<json> RollIfDue(const Context& ctx, const Config& config, bool dry_run) {
  if (!config.tsa_url.empty()) return json(nullptr);
  const ledger::DataDirLayout layout{ctx.data_dir};
  const base::Time now = ctx.clock->Now();
  if (dry_run) {
    ASSIGN_OR_RETURN(const std::string pem,
                     ctx.fs->ReadFile(base::JoinPath(layout.keys(), "tsa.crt"), 1 << 20));
    ASSIGN_OR_RETURN(const signing::CertificateValidity v, signing::PemCertificateValidity(pem));
    return json{{"due", v.not_after <= now + config.renewal.margin},
                {"rolled", false},
                {"not_after", base::FormatRfc3339(v.not_after)}};
  }
  ASSIGN_OR_RETURN(const ledger::TsaRollOutcome roll,
                   ledger::RollTsaCertificateIfDue(ctx.fs, layout, now, config.renewal.margin,
                                                   /*force=*/false));
  if (roll.rolled) {
    std::fprintf(ctx.err,
                 "kura: 内蔵タイムスタンプ局の証明書を更新しました（旧 %s 期限 %s → 新 %s 期限 "
                 "%s。旧証明書は keys/tsa-retired/ に保管）\n",
                 roll.old_serial.c_str(), Day(roll.old_not_after).c_str(),
                 roll.new_serial.c_str(), Day(roll.new_not_after).c_str());
  }
  json j{{"due", roll.rolled},
         {"rolled", roll.rolled},
         {"not_after", base::FormatRfc3339(roll.rolled ? roll.new_not_after : roll.old_not_after)}};
  if (roll.rolled) j["previous_not_after"] = base::FormatRfc3339(roll.old_not_after);
  return j;
}

int Renew(const Context& ctx, const Args& a) {
  const ledger::DataDirLayout layout{ctx.data_dir};
  Status s = ledger::CheckDataDir(ctx.fs, layout);
  auto config = s.ok() ? LoadConfig(ctx.fs, layout.config()) : base::Result<Config>(s);
  if (!config.ok()) {
    PrintError(ctx.err, config.status());
    return kUsage;
  }
  auto roll = RollIfDue(ctx, *config, a.dry_run);
  if (!roll.ok()) {
    PrintError(ctx.err, roll.status());
    return kFailed;
  }
  auto opened = OpenArchiveFor(ctx, /*read_only=*/a.dry_run);
  auto renewal = opened.ok() ? retention::Renewal::Open(opened->archive.get(), ctx.clock,
                                                        opened->config.renewal)
                             : base::Result<std::unique_ptr<retention::Renewal>>(opened.status());
  if (!renewal.ok()) {
    PrintError(ctx.err, renewal.status());
    return kUsage;
  }
  auto outcome = (*renewal)->Renew(a.force, a.dry_run, "cli:" + ctx.user);
  if (!outcome.ok()) {
    PrintError(ctx.err, outcome.status());
    return kFailed;
  }
  std::fprintf(ctx.err, "kura: %s%s\n", a.dry_run ? "（確認のみ）" : "",
               outcome->message.c_str());
  json j = retention::ToJson(*outcome);
  j["dry_run"] = a.dry_run;
  j["tsa_roll"] = *roll;
  PrintJsonLine(ctx, j);
  return kOk;
}

int Chain(const Context& ctx, const Args& a) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/true);
  auto renewal = opened.ok() ? retention::Renewal::Open(opened->archive.get(), ctx.clock,
                                                        opened->config.renewal)
                             : base::Result<std::unique_ptr<retention::Renewal>>(opened.status());
  if (!renewal.ok()) {
    PrintError(ctx.err, renewal.status());
    return kUsage;
  }
  auto chain = (*renewal)->ChainOf(a.id);
  if (!chain.ok()) {
    PrintError(ctx.err, chain.status());
    return kFailed;
  }
  PrintJsonLine(ctx, retention::ToJson(*chain));
  return kOk;
}

}  // namespace

void AddRenewalCommands(CLI::App* cli, const Context& ctx, int* rc) {
  CLI::App* r = cli->get_subcommand("retention");
  auto a = std::make_shared<Args>();
  auto* renew = r->add_subcommand(
      "renew",
      "タイムスタンプを更新する（証明書の期限や SHA-256 の使用期限が近いとき、"
      "これまでのトークンのハッシュ木に新しいトークンを 1 つ取得する）");
  renew->add_flag("--force", a->force, "期限が近くなくても更新する");
  renew->add_flag("--dry-run", a->dry_run, "更新が必要かどうかを表示するだけで、何も変更しない");
  renew->callback([&ctx, rc, a] { *rc = Renew(ctx, *a); });
  auto* chain = r->add_subcommand(
      "chain", "文書のタイムスタンプの更新の連鎖を表示する（トークン → 包含証明 → 更新トークン …）");
  chain->add_option("ID", a->id, "文書ID")->required();
  chain->callback([&ctx, rc, a] { *rc = Chain(ctx, *a); });
}

}  // namespace app::internal
