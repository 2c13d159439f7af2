#include "tests/signing/openssl_cli.h"

#include <regex>

#include "tests/fakes/test_util.h"

namespace kura_test {
namespace {

std::string DerLength(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  for (size_t v = n; v > 0; v >>= 8)
    bytes.insert(bytes.begin(), static_cast<char>(v & 0xff));
  return std::string(1, static_cast<char>(0x80 | bytes.size())) + bytes;
}

}  // namespace

int Sh(const std::string& command, std::string* output) {
  return RunCommand("(" + command + ") 2>&1", output);
}

std::string TsConfig(const std::string& dir, const std::string& signer_cert,
                     const std::string& signer_key,
                     const std::string& extra_certs,
                     const std::string& digests) {
  return "[ tsa ]\n"
         "default_tsa = tsa1\n"
         "[ tsa1 ]\n"
         "dir = " +
         dir +
         "\n"
         "serial = $dir/tsaserial\n"
         "crypto_device = builtin\n"
         "signer_cert = " +
         signer_cert + "\n" +
         (extra_certs.empty() ? "" : "certs = " + extra_certs + "\n") +
         "signer_key = " + signer_key +
         "\n"
         "signer_digest = sha256\n"
         "default_policy = 1.2.3.4.1\n"
         "other_policies = 1.2.3.4.5\n"
         "digests = " +
         digests +
         "\n"
         "accuracy = secs:1, millisecs:500, microsecs:100\n"
         "clock_precision_digits = 0\n"
         "ordering = yes\n"
         "tsa_name = yes\n"
         "ess_cert_id_chain = no\n"
         "ess_cert_id_alg = sha256\n";
}

bool MakeOpensslTsa(const std::string& dir, OpensslTsa* t, std::string* error) {
  t->dir = dir;
  t->ca_pem = dir + "/ca.pem";
  t->tsa_pem = dir + "/tsa.pem";
  t->tsa_key = dir + "/tsa.key";
  t->no_eku_pem = dir + "/noeku.pem";
  t->noncrit_pem = dir + "/noncrit.pem";
  t->config = dir + "/ts.cnf";
  t->sha512_config = dir + "/ts512.cnf";
  WriteFileOrDie(
      dir + "/tsa.ext",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
      "extendedKeyUsage=critical,timeStamping\n");
  WriteFileOrDie(dir + "/noeku.ext",
                 "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,"
                 "digitalSignature\n");
  WriteFileOrDie(
      dir + "/noncrit.ext",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
      "extendedKeyUsage=timeStamping\n");
  WriteFileOrDie(dir + "/tsaserial", "01\n");
  WriteFileOrDie(t->config, TsConfig(dir, t->tsa_pem, t->tsa_key, t->ca_pem,
                                     "sha256, sha384, sha512"));
  WriteFileOrDie(t->sha512_config,
                 TsConfig(dir, t->tsa_pem, t->tsa_key, t->ca_pem, "sha512"));
  const std::string issue = " -CA " + t->ca_pem + " -CAkey " + dir +
                            "/ca.key -CAcreateserial -days 4000 -sha256";
  const std::string commands[] = {
      "openssl ecparam -name prime256v1 -genkey -noout -out " + dir + "/ca.key",
      "openssl req -x509 -new -key " + dir +
          "/ca.key -subj '/O=Test/CN=Test Root' -days 4000"
          " -sha256 -addext basicConstraints=critical,CA:TRUE"
          " -addext keyUsage=critical,keyCertSign,cRLSign -out " +
          t->ca_pem,
      "openssl ecparam -name prime256v1 -genkey -noout -out " + t->tsa_key,
      "openssl req -new -key " + t->tsa_key +
          " -subj '/O=Test/CN=Test TSA' -out " + dir + "/tsa.csr",
      "openssl x509 -req -in " + dir + "/tsa.csr" + issue + " -extfile " + dir +
          "/tsa.ext -out " + t->tsa_pem,
      "openssl x509 -req -in " + dir + "/tsa.csr" + issue + " -extfile " + dir +
          "/noeku.ext -out " + t->no_eku_pem,
      "openssl x509 -req -in " + dir + "/tsa.csr" + issue + " -extfile " + dir +
          "/noncrit.ext -out " + t->noncrit_pem,
  };
  for (const std::string& c : commands) {
    std::string out;
    if (Sh(c, &out) != 0) {
      *error = c + ": " + out;
      return false;
    }
  }
  return true;
}

std::string OpensslReply(const OpensslTsa& t, const std::string& config,
                         const std::string& query_der) {
  WriteFileOrDie(t.dir + "/req.tsq", query_der);
  std::string out;
  if (Sh("openssl ts -reply -config " + config + " -queryfile " + t.dir +
             "/req.tsq -out " + t.dir + "/resp.tsr",
         &out) != 0) {
    ADD_FAILURE() << out;
    return "";
  }
  return ReadFileOrDie(t.dir + "/resp.tsr");
}

std::string QueryNonceHex(const std::string& dir,
                          const std::string& query_der) {
  WriteFileOrDie(dir + "/nonce.tsq", query_der);
  std::string out;
  if (Sh("openssl ts -query -in " + dir + "/nonce.tsq -text", &out) != 0)
    return "";
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("Nonce: 0x([0-9A-Fa-f]+)")))
    return "";
  return m[1];
}

std::string CraftToken(const std::string& dir, const std::string& cert_pem_path,
                       const std::string& key_path,
                       const std::string& digest_hex,
                       const std::string& nonce_hex,
                       const std::string& policy_oid) {
  std::string conf =
      "asn1=SEQUENCE:tstinfo\n"
      "[tstinfo]\n"
      "version=INTEGER:1\n"
      "policy=OID:" +
      policy_oid +
      "\n"
      "imprint=SEQUENCE:imprint\n"
      "serial=INTEGER:0x4B555241\n"
      "genTime=GENTIME:20261122091500Z\n";
  if (!nonce_hex.empty()) conf += "nonce=INTEGER:0x" + nonce_hex + "\n";
  conf +=
      "[imprint]\n"
      "alg=SEQUENCE:alg\n"
      "digest=FORMAT:HEX,OCTETSTRING:" +
      digest_hex +
      "\n"
      "[alg]\n"
      "oid=OID:sha256\n"
      "null=NULL\n";
  WriteFileOrDie(dir + "/tst.cnf", conf);
  std::string out;
  if (Sh("openssl asn1parse -genconf " + dir + "/tst.cnf -out " + dir +
             "/tst.der -noout",
         &out) != 0 ||
      Sh("openssl cms -sign -binary -nodetach -outform DER -econtent_type "
         "id-smime-ct-TSTInfo"
         " -cades -md sha256 -signer " +
             cert_pem_path + " -inkey " + key_path + " -in " + dir +
             "/tst.der -out " + dir + "/token.der",
         &out) != 0) {
    ADD_FAILURE() << out;
    return "";
  }
  return ReadFileOrDie(dir + "/token.der");
}

std::string WrapTokenInResponse(const std::string& token_der) {
  const std::string status("\x30\x03\x02\x01\x00",
                           5);  // PKIStatusInfo { granted }
  const std::string body = status + token_der;
  return "\x30" + DerLength(body.size()) + body;
}

}  // namespace kura_test
