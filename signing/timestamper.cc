#include "signing/timestamper.h"

#include <atomic>

#include "signing/tsa.h"
#include "signing/tsa_verify.h"

namespace signing {

using base::Result;
using base::Status;

namespace {

class BuiltinTimestamper final : public Timestamper {
 public:
  BuiltinTimestamper(std::unique_ptr<Tsa> tsa, std::string chain_pem)
      : tsa_(std::move(tsa)), chain_pem_(std::move(chain_pem)) {}

  Result<Stamp> StampDigest(const Digest& digest, base::Time now) override {
    std::string serial;
    ASSIGN_OR_RETURN(std::string der, tsa_->Timestamp(digest, std::nullopt, now, &serial));
    // The first token of each process is verified in full like any other
    // TSA's (it catches a key that does not match its certificate or an
    // expired certificate); after that our own signer is trusted, which
    // saves a full verification per document. `kura verify` checks every
    // stored token in full regardless. genTime is `now` to the microsecond
    // (the TSA takes the injected time).
    if (!verified_once_.load()) {
      ASSIGN_OR_RETURN(const TimestampInfo info, VerifyTimestampResponse(der, digest, chain_pem_));
      verified_once_.store(true);
      return Stamp{std::move(der), info.gen_time, info.serial_hex};
    }
    return Stamp{std::move(der), now, std::move(serial)};
  }
  std::string name() const override { return "builtin"; }

 private:
  std::unique_ptr<Tsa> tsa_;
  std::string chain_pem_;
  std::atomic<bool> verified_once_{false};
};

class ExternalTimestamper final : public Timestamper {
 public:
  ExternalTimestamper(TsaTransport* transport, std::string url, std::string trusted_pem)
      : url_(url), client_(transport, TsaClientOptions{std::move(url), std::move(trusted_pem)}) {}

  Result<Stamp> StampDigest(const Digest& digest, base::Time now) override {
    ASSIGN_OR_RETURN(VerifiedTimestamp t, client_.Timestamp(digest, now));
    return Stamp{std::move(t.response_der), t.info.gen_time, t.info.serial_hex};
  }
  std::string name() const override { return url_; }

 private:
  std::string url_;
  TsaClient client_;
};

}  // namespace

Result<std::unique_ptr<Timestamper>> NewBuiltinTimestamper(const std::string& key_pem,
                                                           const std::string& cert_pem,
                                                           const std::string& chain_pem) {
  ASSIGN_OR_RETURN(std::unique_ptr<Tsa> tsa, Tsa::Create(key_pem, cert_pem));
  return std::unique_ptr<Timestamper>(new BuiltinTimestamper(std::move(tsa), chain_pem));
}

Result<std::unique_ptr<Timestamper>> NewTokenTimestamper(std::shared_ptr<Pkcs11Token> token,
                                                         const std::string& key_label,
                                                         const std::string& cert_pem,
                                                         const std::string& chain_pem) {
  ASSIGN_OR_RETURN(std::unique_ptr<Tsa> tsa,
                   Tsa::CreateWithToken(std::move(token), key_label, cert_pem));
  return std::unique_ptr<Timestamper>(new BuiltinTimestamper(std::move(tsa), chain_pem));
}

std::unique_ptr<Timestamper> NewExternalTimestamper(TsaTransport* transport, const std::string& url,
                                                    const std::string& trusted_pem) {
  return std::make_unique<ExternalTimestamper>(transport, url, trusted_pem);
}

}  // namespace signing
