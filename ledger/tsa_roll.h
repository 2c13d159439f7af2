// The built-in TSA's certificate roll: before its certificate ends, a new
// TSA key and certificate are issued under the same root CA; the old
// certificate is kept for the verification of the tokens it signed, the old
// private key is destroyed (replaced). Kept apart from LoadKeys/EnsureKeys
// (ledger/keys.h), which read whatever tsa.key/tsa.crt hold.
//
//   keys/tsa.key tsa.crt            the current TSA key and certificate
//   keys/tsa-retired/<serial>.crt   every earlier TSA certificate (public)
//   keys/tsa.key.next tsa.crt.next  a roll under way (finished by the next roll)
//
// A roll writes the next pair durably, copies the current certificate into
// tsa-retired/, then renames key and certificate into place; a crash
// between the two renames leaves a key that does not match its certificate,
// which the next roll (`kura retention renew`) finishes from the .next
// files. Processes that already loaded the old key keep signing with it
// until restarted (its certificate is still valid: the roll happens a
// margin before its end, and the next renewal covers those tokens).
//
// Thread safety: functions over a FileSystem; the data directory's LOCK is
// held during a roll.
#ifndef LEDGER_TSA_ROLL_H_
#define LEDGER_TSA_ROLL_H_

#include <chrono>
#include <string>

#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "ledger/data_dir.h"

namespace ledger {

struct TsaRollOutcome {
  bool rolled = false;
  std::string old_serial;  ///< hex of the certificate that was current
  base::Time old_not_after;
  std::string new_serial;  ///< set when rolled
  base::Time new_not_after;
};

/// Rolls the built-in TSA's certificate if it ends before now + margin
/// (always if force). The new certificate starts at now and is valid as
/// long as a fresh one (ledger/keys.cc), ending no later than the root.
/// FailedPrecondition if keys/ca.key is gone (the root's key is needed to
/// issue the successor); NotFound for other missing key files.
base::Result<TsaRollOutcome> RollTsaCertificateIfDue(base::FileSystem* fs,
                                                     const DataDirLayout& layout, base::Time now,
                                                     std::chrono::microseconds margin, bool force);

/// Every retired TSA certificate (keys/tsa-retired/*.crt) as one PEM, in
/// file-name order; empty if none.
base::Result<std::string> RetiredTsaCertificatesPem(base::FileSystem* fs,
                                                    const DataDirLayout& layout);

}  // namespace ledger

#endif  // LEDGER_TSA_ROLL_H_
