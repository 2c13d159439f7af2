// Workflow: what the workflow decides about the archive's documents: who
// may upload for a department, and who may read whose.
#include <cstdint>
#include <string>
#include <vector>

#include "archive/search.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;

Status Workflow::CheckUpload(const User& uploader, std::string_view department) const {
  RETURN_IF_ERROR(MayUpload(uploader, department));
  ASSIGN_OR_RETURN(const std::vector<Department> departments, ListDepartments());
  for (const Department& d : departments) {
    if (d.code == department) return Status::OK();
  }
  return Status::InvalidArgument("登録されていない課です: " + internal::Shown(department));
}

Status Workflow::CheckRead(const User& reader, std::string_view department) const {
  return MayRead(reader, department, rep_->options.routes);
}

std::string Workflow::ReadScope(const User& reader) const {
  return workflow::ReadScope(reader, rep_->options.routes);
}

}  // namespace workflow
