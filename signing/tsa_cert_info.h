// What a time-stamp renewal needs to know of TSA certificates: when the
// certificate of a token's signer, or a PEM certificate, stops being valid.
// Nothing here verifies anything (signing/tsa_verify.h does); these read.
//
// Thread safety: pure functions.
#ifndef SIGNING_TSA_CERT_INFO_H_
#define SIGNING_TSA_CERT_INFO_H_

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

}  // namespace signing

#endif  // SIGNING_TSA_CERT_INFO_H_
