// The Archive's state, shared by its .cc files: archive.cc (open, reads,
// corrections), ingest.cc, timestamps.cc (retries) and verify.cc. Not for
// use outside archive/.
#ifndef ARCHIVE_INTERNAL_ARCHIVE_REP_H_
#define ARCHIVE_INTERNAL_ARCHIVE_REP_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/catalog.h"
#include "archive/token_store.h"
#include "ledger/event_types.h"
#include "ledger/ledger.h"
#include "storage/blob_store.h"

namespace archive {


struct Archive::Rep {
  ArchiveOptions options;
  base::FileSystem* fs = nullptr;
  const base::Clock* clock = nullptr;
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<storage::BlobStore> blobs;
  FieldReader reader;
  ScanInspector scan_inspector;  // may be empty

  /// ledger->Write for the archive's own events.
  base::Status Write(const ledger::WriteFn& fn, storage::BlobStore::Batch* blobs = nullptr);
};

/// JSON for the "timestamp" member of an event.
nlohmann::json TimestampEventJson(const TokenRecord& t);

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_ARCHIVE_REP_H_
