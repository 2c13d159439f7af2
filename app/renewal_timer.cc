// RollAndRenewIfDue and RenewalTimer (app/renewal_timer.h).
#include "app/renewal_timer.h"

#include <memory>
#include <utility>

#include <spdlog/spdlog.h>

#include "app/error_text.h"
#include "base/date.h"
#include "ledger/data_dir.h"
#include "ledger/keys.h"
#include "ledger/tsa_roll.h"
#include "signing/timestamper.h"

namespace app {

using base::Result;
using base::Status;

namespace {

std::string Day(base::Time t) { return base::Date::InJapan(t).ToString(); }

// The roll, if due; with the new key's timestamper when it rolled (null
// otherwise). Keys in a token or an external TSA: nothing to roll here.
Result<std::unique_ptr<signing::Timestamper>> RollIfDue(const Context& ctx, const Config& config,
                                                        RenewalCheck* out) {
  if (!config.tsa_url.empty()) return std::unique_ptr<signing::Timestamper>();
  const ledger::DataDirLayout layout{ctx.data_dir};
  if (!config.keys.pkcs11_module.empty()) return std::unique_ptr<signing::Timestamper>();
  auto roll = ledger::RollTsaCertificateIfDue(ctx.fs, layout, ctx.clock->Now(),
                                              config.renewal.margin, /*force=*/false);
  if (!roll.ok()) {
    out->roll_message = "内蔵タイムスタンプ局の証明書を更新できませんでした: " + ErrorText(roll.status());
    return std::unique_ptr<signing::Timestamper>();
  }
  if (!roll->rolled) return std::unique_ptr<signing::Timestamper>();
  out->rolled = true;
  out->roll_message = "内蔵タイムスタンプ局の証明書を更新しました（旧 " + roll->old_serial + " 期限 " +
                      Day(roll->old_not_after) + " → 新 " + roll->new_serial + " 期限 " +
                      Day(roll->new_not_after) +
                      "）。新しい鍵で署名するには kura serve を再起動してください";
  ASSIGN_OR_RETURN(const ledger::Keys keys, ledger::LoadKeys(ctx.fs, layout, /*with_private=*/true));
  return signing::NewBuiltinTimestamper(keys.tsa_key_pem, keys.tsa_cert_pem, keys.ChainPem());
}

void Log(const Result<RenewalCheck>& check) {
  if (!check.ok()) {
    spdlog::warn("タイムスタンプの更新の確認に失敗しました: {}", ErrorText(check.status()));
    return;
  }
  if (!check->roll_message.empty()) {
    if (check->rolled) {
      spdlog::info("{}", check->roll_message);
    } else {
      spdlog::warn("{}", check->roll_message);
    }
  }
  if (check->renewal.renewed) {
    spdlog::info("タイムスタンプを更新しました: {}", check->renewal.message);
  } else if (check->renewal.due) {
    spdlog::warn("タイムスタンプの更新が必要ですが、行われませんでした: {}", check->renewal.message);
  }
}

}  // namespace

Result<RenewalCheck> RollAndRenewIfDue(const Context& ctx, const Config& config,
                                       archive::Archive* archive, const std::string& actor) {
  RenewalCheck out;
  ASSIGN_OR_RETURN(const std::unique_ptr<signing::Timestamper> rolled,
                   RollIfDue(ctx, config, &out));
  ASSIGN_OR_RETURN(const std::unique_ptr<retention::Renewal> renewal,
                   retention::Renewal::Open(archive, ctx.clock, config.renewal));
  ASSIGN_OR_RETURN(out.renewal, renewal->Renew(/*force=*/false, /*dry_run=*/false, actor,
                                               rolled.get()));
  return out;
}

RenewalTimer::RenewalTimer(const Context& ctx, const Config& config, archive::Archive* archive,
                           std::chrono::milliseconds interval)
    : ctx_(ctx), config_(config), archive_(archive), interval_(interval) {
  if (interval_.count() > 0) thread_ = std::thread([this] { Loop(); });
}

RenewalTimer::~RenewalTimer() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int RenewalTimer::checks() const {
  std::lock_guard<std::mutex> l(mu_);
  return checks_;
}

void RenewalTimer::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  do {
    l.unlock();
    Log(RollAndRenewIfDue(ctx_, config_, archive_, "kura serve（自動）"));
    l.lock();
    ++checks_;
  } while (!cv_.wait_for(l, interval_, [&] { return stopping_; }));
}

}  // namespace app
