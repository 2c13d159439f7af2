// IntakeFolder: a folder that a scanner or an e-invoice platform connector
// drops files into. Each Poll() archives the files that have stopped
// changing, then moves each to done/ (archived) or failed/ (refused) with a
// short .log beside it. A file still being written is left alone until its
// size and modification time have held still for `settle` (so a half-written
// file is never archived as if complete), and nothing is moved away before
// its receipt is durable: a crash at worst makes the next poll record a
// second receipt of the same bytes.
//
// Hidden files (".name") and common partial-download names (*.tmp, *.part,
// *.crdownload, *.filepart) are ignored.
//
// Thread safety: one thread polls.
#ifndef APP_INTAKE_H_
#define APP_INTAKE_H_

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/time.h"

namespace app {

struct IntakeOptions {
  std::string dir;
  std::string department;
  std::string source = "watch";  ///< "scan" for scanned paper
  std::string receiver;          ///< e.g. "watch:<os user>"
  std::chrono::microseconds settle = std::chrono::seconds(2);
  uint64_t max_file_bytes = uint64_t{100} << 20;
};

/// What one poll did, per file, for the log.
struct IntakeEvent {
  std::string file_name;
  bool archived = false;
  std::string id;      ///< when archived
  bool duplicate = false;
  std::string error;  ///< when refused: app::ErrorText of the reason (Japanese)
  std::string moved_to;
};

class IntakeFolder {
 public:
  /// fs, clock and archive must outlive the folder.
  IntakeFolder(IntakeOptions options, base::FileSystem* fs, const base::Clock* clock,
               archive::Archive* archive);

  /// Creates DIR/done and DIR/failed.
  base::Status Init();
  /// One pass: archive and move every settled file. Returns what happened;
  /// an error only if the folder itself cannot be read.
  base::Result<std::vector<IntakeEvent>> Poll();

 private:
  struct Seen {
    uint64_t size;
    int64_t mtime_ns;
    base::Time stable_since;
  };
  base::Status MoveAndLog(const std::string& name, const std::string& subdir,
                          const std::string& log_text, std::string* moved_to);

  IntakeOptions options_;
  base::FileSystem* fs_;
  const base::Clock* clock_;
  archive::Archive* archive_;
  std::map<std::string, Seen> seen_;
};

}  // namespace app

#endif  // APP_INTAKE_H_
