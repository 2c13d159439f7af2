#include "app/intake.h"

#include "app/error_text.h"

namespace app {

using base::Result;
using base::Status;

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool Ignored(const std::string& name) {
  return name.empty() || name[0] == '.' || EndsWith(name, ".tmp") || EndsWith(name, ".part") ||
         EndsWith(name, ".crdownload") || EndsWith(name, ".filepart") || EndsWith(name, ".log");
}

}  // namespace

IntakeFolder::IntakeFolder(IntakeOptions options, base::FileSystem* fs, const base::Clock* clock,
                           archive::Archive* archive)
    : options_(std::move(options)), fs_(fs), clock_(clock), archive_(archive) {}

Status IntakeFolder::Init() {
  RETURN_IF_ERROR(fs_->CreateDirs(base::JoinPath(options_.dir, "done")));
  return fs_->CreateDirs(base::JoinPath(options_.dir, "failed"));
}

Status IntakeFolder::MoveAndLog(const std::string& name, const std::string& subdir,
                                const std::string& log_text, std::string* moved_to) {
  const std::string target_dir = base::JoinPath(options_.dir, subdir);
  // Never overwrite an earlier file of the same name: add -2, -3, ...
  std::string target = base::JoinPath(target_dir, name);
  for (int n = 2; fs_->Stat(target).ok(); ++n) {
    const size_t dot = name.rfind('.');
    const std::string stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
    const std::string ext = dot == std::string::npos || dot == 0 ? "" : name.substr(dot);
    target = base::JoinPath(target_dir, stem + "-" + std::to_string(n) + ext);
  }
  RETURN_IF_ERROR(base::WriteFileDurably(fs_, target + ".log", log_text));
  RETURN_IF_ERROR(fs_->Rename(base::JoinPath(options_.dir, name), target));
  *moved_to = target;
  return fs_->SyncDir(target_dir);
}

Result<std::vector<IntakeEvent>> IntakeFolder::Poll() {
  ASSIGN_OR_RETURN(const auto names, fs_->ListDir(options_.dir));
  const base::Time now = clock_->Now();
  std::map<std::string, Seen> still_here;
  std::vector<std::string> ready;
  for (const std::string& name : names) {
    if (Ignored(name)) continue;
    auto info = fs_->Stat(base::JoinPath(options_.dir, name));
    if (!info.ok() || !info->is_regular) continue;  // done/, failed/, vanished files
    auto it = seen_.find(name);
    Seen s{info->size, info->mtime_ns, now};
    if (it != seen_.end() && it->second.size == s.size && it->second.mtime_ns == s.mtime_ns) {
      s.stable_since = it->second.stable_since;
    }
    still_here[name] = s;
    if (now - s.stable_since >= options_.settle && it != seen_.end()) ready.push_back(name);
  }
  seen_ = std::move(still_here);

  std::vector<IntakeEvent> events;
  std::vector<archive::IncomingFile> batch;
  std::vector<std::string> batch_names;
  for (const std::string& name : ready) {
    const std::string path = base::JoinPath(options_.dir, name);
    auto bytes = fs_->ReadFile(path, options_.max_file_bytes);
    if (bytes.ok() && bytes->size() != seen_[name].size) continue;  // changed under us: next poll
    if (!bytes.ok()) {
      IntakeEvent e;
      e.file_name = name;
      e.error = ErrorText(bytes.status());
      const Status moved =
          MoveAndLog(name, "failed",
                     base::FormatJst(now) + " 取り込み失敗 (refused): " + e.error + "\n",
                     &e.moved_to);
      if (!moved.ok()) e.error += "。" + ErrorText(moved);
      seen_.erase(name);
      events.push_back(std::move(e));
      continue;
    }
    batch.push_back(archive::IncomingFile{name, options_.department, options_.source, options_.receiver,
                                 std::move(*bytes)});
    batch_names.push_back(name);
  }
  if (batch.empty()) return events;

  const auto results = archive_->Ingest(std::move(batch));
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string& name = batch_names[i];
    IntakeEvent e;
    e.file_name = name;
    std::string log = base::FormatJst(now) + " ";
    std::string subdir;
    if (results[i].ok()) {
      e.archived = true;
      e.id = results[i]->id;
      e.duplicate = results[i]->duplicate;
      log += std::string(e.duplicate ? "受領済みの文書と同一 (duplicate)" : "保存しました (archived)") +
             " id=" + e.id + " sha256=" + results[i]->sha256 + "\n";
      subdir = "done";
    } else {
      e.error = ErrorText(results[i].status());
      log += "取り込み失敗 (refused): " + e.error + "\n";
      // A failed commit is not the file's fault: leave it to be retried.
      if (results[i].status().code() != Status::Code::kInvalidArgument &&
          results[i].status().code() != Status::Code::kResourceExhausted) {
        events.push_back(std::move(e));
        continue;
      }
      subdir = "failed";
    }
    const Status moved = MoveAndLog(name, subdir, log, &e.moved_to);
    if (!moved.ok()) e.error = ErrorText(moved);
    seen_.erase(name);
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace app
