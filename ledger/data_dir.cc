#include "ledger/data_dir.h"

#include <string_view>

namespace ledger {

using base::Status;

namespace {
constexpr std::string_view kFormatPrefix = "kura-data-format ";

std::string FormatLine() {
  return std::string(kFormatPrefix) + std::to_string(kDataFormatVersion) + "\n";
}
}  // namespace

Status CheckDataDir(base::FileSystem* fs, const DataDirLayout& layout) {
  auto text = fs->ReadFile(layout.format(), 4096);
  if (!text.ok()) {
    if (text.status().IsNotFound()) {
      return Status::FailedPrecondition(layout.root +
                                        " is not a kura data directory (run `kura init` first)");
    }
    return text.status();
  }
  std::string_view t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) {
    t.remove_suffix(1);
  }
  if (t.substr(0, kFormatPrefix.size()) != kFormatPrefix) {
    return Status::FailedPrecondition(layout.format() + ": unknown data directory format \"" +
                                      std::string(t) + "\"; this is not a kura data directory");
  }
  const std::string_view number = t.substr(kFormatPrefix.size());
  int version = 0;
  for (char c : number) {
    if (c < '0' || c > '9' || version > 100000) {
      return Status::FailedPrecondition(layout.format() + ": unreadable format version \"" +
                                        std::string(number) + "\"");
    }
    version = version * 10 + (c - '0');
  }
  if (version != kDataFormatVersion) {
    return Status::FailedPrecondition(
        layout.root + " was written by " +
        (version > kDataFormatVersion ? "a newer" : "an unknown") + " version of kura (format " +
        std::to_string(version) + "); this kura reads format " +
        std::to_string(kDataFormatVersion) + ". Use the kura that created it.");
  }
  return Status::OK();
}

Status InitDataDir(base::FileSystem* fs, const DataDirLayout& layout,
                   const std::string& default_config) {
  RETURN_IF_ERROR(fs->CreateDirs(layout.root));
  if (fs->Stat(layout.format()).ok()) {
    RETURN_IF_ERROR(CheckDataDir(fs, layout));
  } else {
    // A non-empty directory that is not ours is not taken over silently.
    ASSIGN_OR_RETURN(const auto names, fs->ListDir(layout.root));
    for (const auto& n : names) {
      if (n != "catalog" && n != "objects" && n != "keys" && n != "kura.toml" && n != "LOCK") {
        return Status::FailedPrecondition(layout.root +
                                          " is not empty and not a kura data directory");
      }
    }
  }
  RETURN_IF_ERROR(fs->CreateDirs(layout.catalog()));
  RETURN_IF_ERROR(fs->CreateDirs(layout.objects()));
  RETURN_IF_ERROR(fs->CreateDirs(layout.keys(), 0700));
  if (!fs->Stat(layout.config()).ok()) {
    RETURN_IF_ERROR(base::WriteFileDurably(fs, layout.config(), default_config));
  }
  if (!fs->Stat(layout.format()).ok()) {
    RETURN_IF_ERROR(base::WriteFileDurably(fs, layout.format(), FormatLine()));
  }
  return Status::OK();
}

}  // namespace ledger
