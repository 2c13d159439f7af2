// Timestamper: where kura gets RFC 3161 time-stamps from — the built-in TSA
// (the embedded default) or an external TSA over HTTP (production: an
// accredited service, 総務大臣認定). Either way, what Stamp returns has been
// verified; a token that does not verify is never returned.
//
// Thread safety: Stamp may be called from several threads.
#ifndef SIGNING_TIMESTAMPER_H_
#define SIGNING_TIMESTAMPER_H_

#include <memory>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "signing/sha256.h"
#include "signing/tsa_client.h"

namespace signing {

class Pkcs11Token;

struct Stamp {
  std::string response_der;  ///< the TimeStampResp as issued
  base::Time gen_time;
  std::string serial_hex;
};

class Timestamper {
 public:
  virtual ~Timestamper() = default;
  /// A verified token over digest. Unavailable when the TSA cannot be
  /// reached or refuses; Corruption when its answer does not verify.
  virtual base::Result<Stamp> StampDigest(const Digest& digest, base::Time now) = 0;
  /// "builtin" or the external TSA's URL, for the record.
  virtual std::string name() const = 0;
};

/// The built-in TSA with the data directory's key and certificate.
base::Result<std::unique_ptr<Timestamper>> NewBuiltinTimestamper(const std::string& key_pem,
                                                                 const std::string& cert_pem,
                                                                 const std::string& chain_pem);

/// The built-in TSA with its key in a PKCS#11 token (Tsa::CreateWithToken).
base::Result<std::unique_ptr<Timestamper>> NewTokenTimestamper(std::shared_ptr<Pkcs11Token> token,
                                                               const std::string& key_label,
                                                               const std::string& cert_pem,
                                                               const std::string& chain_pem);

/// An external TSA at url, reached through transport (which must outlive
/// the Timestamper), trusted through trusted_pem.
std::unique_ptr<Timestamper> NewExternalTimestamper(TsaTransport* transport, const std::string& url,
                                                    const std::string& trusted_pem);

}  // namespace signing

#endif  // SIGNING_TIMESTAMPER_H_
