// Workflow: what the workflow decides about the archive's documents — who
// may upload for a department, and the inbox over the archive's search.
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

namespace {

// How many pages of the search the inbox reads, at most.
constexpr int kInboxMaxPages = 20;
constexpr uint32_t kInboxPageSize = 1000;

// A search item as the inbox takes it. The search knows the receipt's Japan
// date only; midnight JST of that date stands for the time.
DocumentSummary ToSummary(const archive::SearchItem& item) {
  DocumentSummary d;
  d.id = item.id;
  d.department = item.department;
  if (auto date = base::Date::Parse(item.received_date); date.ok()) {
    const int64_t seconds = int64_t{date->DaysSinceEpoch()} * 86400 - 9 * 3600;
    d.received_at = base::FromUnixMicros(seconds * 1'000'000);
  }
  d.counterparty = item.counterparty;
  d.total = item.total.value_or("");
  d.issue_date = item.issue_date.value_or("");
  return d;
}

}  // namespace

Result<Inbox> Workflow::GetInboxSince(const User& user, base::Date received_from) const {
  archive::SearchQuery q;
  q.received_from = received_from;
  q.limit = kInboxPageSize;
  q.department = ReadScope(user);
  std::vector<DocumentSummary> received;
  for (int page = 0; page < kInboxMaxPages; ++page) {
    ASSIGN_OR_RETURN(const archive::SearchResult r, rep_->archive->Search(q));
    for (const archive::SearchItem& item : r.items) received.push_back(ToSummary(item));
    if (!r.next) break;
    q.after = *r.next;
    q.count = false;
  }
  return GetInbox(user, received);
}

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
