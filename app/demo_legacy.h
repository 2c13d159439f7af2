// The demo's legacy creditor numbers (旧債権者番号): a small export of the
// old finance system, generated with its duplicates planted
// (corpus/legacy_creditors.h), imported once so that the accounting
// office's 旧債権者番号の統合 screen has clusters to show in `kura serve
// --demo`. The vendor master is left as the demo made it.
#ifndef APP_DEMO_LEGACY_H_
#define APP_DEMO_LEGACY_H_

#include "base/status.h"

namespace workflow {
class Workflow;
}

namespace app {

/// Imports the demo's legacy export (40 rows) unless legacy numbers were
/// imported already; as the system user "demo".
base::Status SeedDemoLegacyCreditors(workflow::Workflow* wf);

}  // namespace app

#endif  // APP_DEMO_LEGACY_H_
