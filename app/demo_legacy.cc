#include "app/demo_legacy.h"

#include <string>

#include "corpus/legacy_creditors.h"
#include "signing/sha256.h"
#include "workflow/workflow.h"

namespace app {

base::Status SeedDemoLegacyCreditors(workflow::Workflow* wf) {
  const workflow::User root = workflow::Workflow::SystemUser("demo");
  ASSIGN_OR_RETURN(const auto existing, wf->ListLegacyCreditors(root));
  if (!existing.empty()) return base::Status::OK();
  corpus::LegacyCorpusOptions options;
  options.rows = 40;
  options.seed = 16;
  options.master_every = 0;  // the demo's vendor master stays as it is
  const corpus::LegacyCorpus legacy = corpus::GenerateLegacyCreditors(options);
  ASSIGN_OR_RETURN(const workflow::LegacyParse parse,
                   workflow::ParseLegacyCreditors(legacy.csv, workflow::LegacyEncoding::kUtf8));
  const std::string sha256 = signing::Sha256(legacy.csv).Hex();
  return wf->ImportLegacyCreditors(parse, "旧財務会計_債権者一覧.csv", sha256, root).status();
}

}  // namespace app
