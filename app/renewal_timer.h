// Time-stamp renewal without anyone remembering to run it: `kura serve`
// checks once at start and then every [renewal] check_hours (default 24;
// 0 = never) whether the built-in TSA's certificate must roll and whether
// the time-stamps are due for renewal (retention/renewal.h), and does both
// when they are — the same decisions as `kura retention renew`
// (app/renewal_cli.cc), logged for the administrator.
//
// The running archive keeps signing with the TSA key it opened with until
// the server restarts (ledger/tsa_roll.h). A renewal right after a roll
// must not be signed with that key, whose certificate ends within the
// margin: it is signed with the new key, loaded from keys/ for it.
//
// Thread safety: RenewalTimer runs the checks on a thread of its own and
// stops it (waiting for a check under way) when destroyed.
#ifndef APP_RENEWAL_TIMER_H_
#define APP_RENEWAL_TIMER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/commands.h"
#include "app/config.h"
#include "archive/archive.h"
#include "base/result.h"
#include "retention/renewal.h"

namespace app {

/// What one check did.
struct RenewalCheck {
  bool rolled = false;            ///< the built-in TSA's certificate rolled
  std::string roll_message;       ///< Japanese, when rolled or the roll failed
  retention::RenewalOutcome renewal;
};

/// One check: the roll (built-in TSA with keys in files only) and the
/// renewal, each only if due. A roll that cannot be made (keys in a
/// PKCS#11 token, keys/ca.key gone) is reported in roll_message and the
/// renewal still runs with the current key. The errors of Renewal::Renew.
base::Result<RenewalCheck> RollAndRenewIfDue(const Context& ctx, const Config& config,
                                             archive::Archive* archive, const std::string& actor);

class RenewalTimer {
 public:
  /// Starts the checks (none if interval is zero); archive must outlive
  /// the timer.
  RenewalTimer(const Context& ctx, const Config& config, archive::Archive* archive,
               std::chrono::milliseconds interval);
  ~RenewalTimer();
  RenewalTimer(const RenewalTimer&) = delete;
  RenewalTimer& operator=(const RenewalTimer&) = delete;

  /// Checks made so far.
  int checks() const;

 private:
  void Loop();

  const Context ctx_;
  const Config config_;
  archive::Archive* const archive_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int checks_ = 0;
  std::thread thread_;
};

}  // namespace app

#endif  // APP_RENEWAL_TIMER_H_
