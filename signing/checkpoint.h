// C2SP tlog-checkpoints (https://c2sp.org/tlog-checkpoint): the signed head
// of kura's event log, a signed note whose text is
//
//   <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n]...
//
// signed with the log's Ed25519 note key (signing/note.h).
//
// Thread safety: plain values and free functions.
#ifndef SIGNING_CHECKPOINT_H_
#define SIGNING_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "signing/note.h"
#include "signing/sha256.h"

namespace signing {

struct Checkpoint {
  std::string
      origin;  ///< unique log identity, e.g. "kura.example-city.lg.jp/log"
  uint64_t size = 0;  ///< number of leaves
  Digest root;        ///< RFC 6962 root of the first `size` leaves
  /// Opaque extra lines, each non-empty, without "\n". Not recommended by
  /// C2SP (monitors cannot audit them), but allowed.
  std::vector<std::string> extensions;

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// The note text of a checkpoint. InvalidArgument for an empty origin, an
/// empty extension line, or a newline or control character in either.
base::Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

/// Parses a checkpoint note text (unsigned). Corruption for anything but
/// the exact form: missing lines, a size with a sign or leading zeros, a
/// root that is not canonical base64 of 32 bytes, an empty extension line,
/// a missing final newline.
base::Result<Checkpoint> ParseCheckpoint(std::string_view text);

/// The signed checkpoint note. Errors as for FormatCheckpoint().
base::Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                         const NoteSigner& signer);

/// Opens a signed checkpoint with the log's key and parses it. If
/// expected_origin is non-empty the origin must equal it (else
/// FailedPrecondition: a checkpoint of another log). Other errors are those
/// of OpenNote() and ParseCheckpoint().
base::Result<Checkpoint> VerifyCheckpoint(
    std::string_view signed_note, const NoteVerifier& verifier,
    std::string_view expected_origin = "");

}  // namespace signing

#endif  // SIGNING_CHECKPOINT_H_
