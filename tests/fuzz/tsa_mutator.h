// The structure-aware mutator of tsa_verify_fuzzer: works inside the DER of
// a TimeStampResp instead of on raw bytes, where almost every change is
// refused by both verifiers at the first byte.
//
// One call makes one to three changes at random nodes (der_tree.h) of the
// whole response, of the TSTInfo, of the signed attributes or of the
// embedded certificate's tbsCertificate: leaf bytes changed, values
// replaced by ones worth trying for their tag (times at the edges of the
// fixture's validity, OIDs, integers), tags changed, nodes deleted,
// duplicated, swapped, grafted from good tokens, lengths re-encoded
// (non-minimal, indefinite). Most changes are then signed again with the
// fixture's keys (the messageDigest attribute, the signature over the
// signed attributes; after a certificate change the certificate with the
// root's key and the ESS certificate hashes), so that inputs get past the
// signature and reach the checks after it. Now and then it truncates,
// appends a byte, flips an options bit, starts from a good token afresh,
// or hands over to libFuzzer's own byte-level mutator.
//
// Thread safety: none needed (libFuzzer calls it from one thread).
#ifndef TESTS_FUZZ_TSA_MUTATOR_H_
#define TESTS_FUZZ_TSA_MUTATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "tests/fuzz/der_tree.h"

namespace kura_fuzz {

struct TsaMutatorContext {
  EVP_PKEY* tsa_key = nullptr;    // signs tokens again (not owned)
  EVP_PKEY* ca_key = nullptr;     // issues changed certificates again (not owned)
  std::vector<DerNode> pool;      // subtrees of good tokens and certificates
  std::vector<std::string> good;  // good DER responses; REQUIRES: not empty
};

/// LLVMFuzzerCustomMutator for inputs of one options byte and a DER
/// response: rewrites data[0, size) in place, returns the new size (at
/// most max_size).
size_t MutateTsaInput(const TsaMutatorContext& ctx, uint8_t* data, size_t size, size_t max_size,
                      unsigned int seed);

}  // namespace kura_fuzz

#endif  // TESTS_FUZZ_TSA_MUTATOR_H_
