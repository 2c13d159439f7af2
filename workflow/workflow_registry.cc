// Workflow: the event of a 国税庁 registry import (workflow.h,
// nta_registry.h). The registry's rows live outside the catalog; the event
// says which snapshot the data directory's checks use.
#include "ledger/event_types.h"
#include "workflow/access.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

base::Status Workflow::RecordRegistryImport(const nlohmann::json& import, const User& actor) {
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayManageVendors(me));
    nlohmann::json e = rep_->Event(ledger::event::kRegistryImported, me);
    e["import"] = import;
    return append(e).status();
  });
}

}  // namespace workflow
