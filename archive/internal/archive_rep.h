// The Archive's state, shared by archive.cc (writes) and verify.cc (checks).
// Not for use outside archive/.
#ifndef ARCHIVE_INTERNAL_ARCHIVE_REP_H_
#define ARCHIVE_INTERNAL_ARCHIVE_REP_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "archive/archive.h"
#include "archive/catalog.h"
#include "archive/checkpoint_store.h"
#include "archive/data_dir.h"
#include "archive/event_log.h"
#include "archive/keys.h"
#include "archive/timestamper.h"
#include "archive/token_store.h"
#include "signing/note.h"
#include "storage/blob_store.h"

namespace archive {

struct Archive::Rep {
  ArchiveOptions options;
  DataDirLayout layout;
  base::FileSystem* fs = nullptr;
  const base::Clock* clock = nullptr;
  std::unique_ptr<base::FileLock> lock;  // held while open for writing
  std::unique_ptr<storage::Env> env;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<CheckpointStore> checkpoints;
  std::unique_ptr<storage::BlobStore> blobs;
  Keys keys;
  std::unique_ptr<signing::NoteVerifier> verifier;
  std::unique_ptr<signing::NoteSigner> signer;  // writers only
  std::unique_ptr<Timestamper> stamper;         // writers only
  std::mutex writer_mu;  // one ingest, correction or retry at a time
  FieldReader reader;

  /// Signs a checkpoint for the log's current size, if it grew, after
  /// checking that it extends the previous checkpoint, and time-stamps it.
  /// REQUIRES: writer_mu held.
  base::Status SignCheckpoint();
  /// The PEM that verifies every token kura may hold.
  std::string TrustedPem() const;
};

/// JSON for the "timestamp" member of an event.
nlohmann::json TimestampEventJson(const TokenRecord& t);

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_ARCHIVE_REP_H_
