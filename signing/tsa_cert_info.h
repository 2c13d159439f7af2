// What a time-stamp renewal needs to know of TSA certificates: when the
// certificate of a token's signer, or a PEM certificate, stops being valid.
// Nothing here verifies anything (signing/tsa_verify.h does); these read.
//
// Thread safety: pure functions.
#ifndef SIGNING_TSA_CERT_INFO_H_
#define SIGNING_TSA_CERT_INFO_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"

namespace signing {

struct CertificateValidity {
  base::Time not_before;
  base::Time not_after;
  std::string subject;     ///< RFC 2253
  std::string serial_hex;  ///< lower-case hex
  std::string pem;         ///< the certificate itself
};

/// The validity of the first certificate in pem. InvalidArgument if pem
/// holds no certificate.
base::Result<CertificateValidity> PemCertificateValidity(std::string_view pem);

/// The validity of the certificate that signed a DER TimeStampResp, taken
/// from the certificates the token carries (kura's built-in TSA and most
/// others put theirs in). Corruption if the response cannot be decoded;
/// NotFound if the token does not carry its signer's certificate.
base::Result<CertificateValidity> TokenSignerValidity(std::string_view der_response);

/// What alone decides TokenSignerValidity's answer for a response that
/// decodes: the raw bytes of its token's content type, of the certificates
/// it carries and of each SignerInfo's signer identifier, found by reading
/// the DER headers only (nothing is decoded). Empty if the response is not
/// shaped as RFC 3161 and CMS say (then only decoding it tells).
std::string TokenSignerKey(std::string_view der_response);

/// TokenSignerValidity remembered by TokenSignerKey. A TSA's tokens carry
/// the same certificates, and decoding them is the slow part (OpenSSL 3
/// decodes each certificate's public key through its providers: about half
/// of an evidence export's CPU when it was done for each of 10,000 tokens).
/// Only answers that succeeded are remembered, so a response that does not
/// decode but carries the same certificates as one that did gets that
/// signer: this names a signer, it verifies nothing (signing/tsa_verify.h).
///
/// Thread safety: Get may be called from any thread.
class TokenSignerCache {
 public:
  base::Result<CertificateValidity> Get(std::string_view der_response);

 private:
  std::mutex mu_;
  std::map<std::string, CertificateValidity, std::less<>> known_;
};

}  // namespace signing

#endif  // SIGNING_TSA_CERT_INFO_H_
