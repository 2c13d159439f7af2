// The demo's past: invoices received over the last eight weeks and payment
// orders at every step (draft, returned, waiting for the 課長, in 会計審査,
// accepted, paid on time and paid late), so that every screen — the home
// counts, 期限間近/期限超過, the order page, the figures — has something to
// show on the first start of `kura serve --demo`.
//
// It runs on a clock of its own (a base::FakeClock the caller also gave the
// archive and the workflow): each receipt and each action happens at its
// planned time in the past, in time order, and the clock ends at the real
// time it started from. The time-stamps the built-in TSA issues say the same
// times: this is a demo's invented history, never a real archive's.
#ifndef APP_DEMO_HISTORY_H_
#define APP_DEMO_HISTORY_H_

#include <functional>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "base/time.h"
#include "corpus/corpus.h"

namespace archive {
class Archive;
struct IncomingFile;
}  // namespace archive
namespace workflow {
class Workflow;
}

namespace app {

struct DemoHistoryInput {
  archive::Archive* archive = nullptr;
  workflow::Workflow* workflow = nullptr;
  base::FakeClock* clock = nullptr;  ///< the archive's and the workflow's; now on entry
  const std::vector<corpus::Invoice>* invoices = nullptr;
  /// The file the n-th invoice (1-based) arrives as.
  std::function<archive::IncomingFile(const corpus::Invoice&, int n)> file_of;
  /// The commitment an order of this invoice draws on ("" if none).
  std::function<std::string(const corpus::Invoice&)> commitment_of;
};

/// Receives every invoice at its day in the past and walks some of them
/// through the payment-order flow. Leaves the clock at its time on entry.
base::Status SeedDemoHistory(const DemoHistoryInput& in);

/// The day an invoice issued on issue_date reaches the city in the demo
/// (one to three days later, never after today).
base::Date DemoReceiptDay(base::Date issue_date, int n, base::Date today);

}  // namespace app

#endif  // APP_DEMO_HISTORY_H_
