#include "signing/pkcs11.h"

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace signing {

using base::Result;
using base::Status;

namespace {

// What the module allocates is the module's: SoftHSM2 keeps OpenSSL objects
// from C_SignInit that it never frees, and under LeakSanitizer their stack
// (through libcrypto, built without frame pointers) names no module frame a
// suppression could match. So every call into the token is made with leak
// checking off for its duration; kura's own allocations around it are not.
#if defined(__SANITIZE_ADDRESS__)
using ModuleAllocations = __lsan::ScopedDisabler;
#else
struct ModuleAllocations {
  ModuleAllocations() {}  // user-provided: a scope guard, not an unused variable
};
#endif

// DER of the curves' OIDs, the CKA_EC_PARAMS of the keys we generate.
constexpr unsigned char kP256Params[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x03, 0x01, 0x07};  // 1.2.840.10045.3.1.7
constexpr unsigned char kEd25519Params[] = {0x06, 0x03, 0x2b, 0x65, 0x70};  // 1.3.101.112

std::string RvText(CK_RV rv) {
  const char* name = nullptr;
  switch (rv) {
    case CKR_PIN_INCORRECT: name = "CKR_PIN_INCORRECT"; break;
    case CKR_PIN_LOCKED: name = "CKR_PIN_LOCKED"; break;
    case CKR_MECHANISM_INVALID: name = "CKR_MECHANISM_INVALID"; break;
    case CKR_TOKEN_NOT_PRESENT: name = "CKR_TOKEN_NOT_PRESENT"; break;
    case CKR_DEVICE_ERROR: name = "CKR_DEVICE_ERROR"; break;
    case CKR_KEY_HANDLE_INVALID: name = "CKR_KEY_HANDLE_INVALID"; break;
    case CKR_USER_PIN_NOT_INITIALIZED: name = "CKR_USER_PIN_NOT_INITIALIZED"; break;
    default: break;
  }
  if (name != nullptr) return name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "CKR 0x%lx", static_cast<unsigned long>(rv));
  return buf;
}

// A loaded, initialised module, shared by every Pkcs11Token of the process
// that names the same path; finalised with the last of them.
struct Module {
  std::string path;
  void* handle = nullptr;
  CK_FUNCTION_LIST* f = nullptr;
  bool initialized_here = false;
  ~Module() {
    if (initialized_here) f->C_Finalize(nullptr);
    // The library stays loaded: unloading a module whose own at-exit
    // handlers (OpenSSL's) are registered can crash the process at exit.
  }
};

std::mutex modules_mu;
std::map<std::string, std::weak_ptr<Module>>& Modules() {
  static auto* modules = new std::map<std::string, std::weak_ptr<Module>>();
  return *modules;
}

Result<std::shared_ptr<Module>> LoadModule(const std::string& path) {
  std::lock_guard<std::mutex> l(modules_mu);
  if (auto m = Modules()[path].lock()) return m;
  auto m = std::make_shared<Module>();
  m->path = path;
  m->handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (m->handle == nullptr) {
    const char* why = ::dlerror();
    return Status::InvalidArgument("PKCS#11 モジュール " + path + " を読み込めません（" +
                                   (why ? why : "") + "）");
  }
  auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(m->handle, "C_GetFunctionList"));
  if (get == nullptr || get(&m->f) != CKR_OK || m->f == nullptr) {
    return Status::InvalidArgument(path + " は PKCS#11 モジュールではありません（C_GetFunctionList がありません）");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  const CK_RV rv = m->f->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    return Status::Unavailable("PKCS#11 モジュール " + path + " を初期化できません（" + RvText(rv) +
                               "）");
  }
  m->initialized_here = rv == CKR_OK;
  Modules()[path] = m;
  return m;
}

std::string TrimLabel(const unsigned char* label, size_t size) {
  std::string s(reinterpret_cast<const char*>(label), size);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

Result<CK_SLOT_ID> FindSlot(CK_FUNCTION_LIST* f, const std::string& label,
                            const std::string& what) {
  CK_ULONG n = 0;
  CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &n);
  std::vector<CK_SLOT_ID> slots(n);
  if (rv == CKR_OK && n > 0) rv = f->C_GetSlotList(CK_TRUE, slots.data(), &n);
  if (rv != CKR_OK) {
    return Status::Unavailable(what + ": スロットの一覧を取得できません（" + RvText(rv) + "）");
  }
  slots.resize(n);
  for (const CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    if (TrimLabel(info.label, sizeof info.label) == label) return slot;
  }
  return Status::NotFound(what + " が見つかりません（ラベルを確認するか、softhsm2-util --init-token 等で"
                                 "トークンを初期化してください）");
}

// The DER OCTET STRING that CKA_EC_POINT holds, unwrapped; some tokens give
// the raw point, which is returned as is.
std::string UnwrapEcPoint(const std::string& v, size_t raw_size) {
  if (v.size() == raw_size) return v;
  if (v.size() >= 2 && static_cast<unsigned char>(v[0]) == 0x04) {
    size_t len = static_cast<unsigned char>(v[1]);
    size_t off = 2;
    if (len == 0x81 && v.size() >= 3) {
      len = static_cast<unsigned char>(v[2]);
      off = 3;
    }
    if (off + len == v.size() && len == raw_size) return v.substr(off);
  }
  return {};
}

size_t RawPublicSize(TokenKeyType type) { return type == TokenKeyType::kEcdsaP256 ? 65 : 32; }
const char* TypeName(TokenKeyType type) {
  return type == TokenKeyType::kEcdsaP256 ? "ECDSA P-256" : "Ed25519";
}

}  // namespace

struct Pkcs11Token::Impl {
  std::shared_ptr<Module> module;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  std::string description;
  std::mutex mu;  // one operation at a time on the session
  std::map<std::string, CK_OBJECT_HANDLE> signing_keys;  // guarded by mu

  CK_FUNCTION_LIST* f() const { return module->f; }

  Status Fail(const std::string& what, CK_RV rv) const {
    return Status::Unavailable(description + ": " + what + "（" + RvText(rv) + "）");
  }

  // The object of class cls labelled label, or CK_INVALID_HANDLE. mu held.
  Result<CK_OBJECT_HANDLE> Find(CK_OBJECT_CLASS cls, const std::string& label) {
    CK_ATTRIBUTE query[] = {
        {CKA_CLASS, &cls, sizeof cls},
        {CKA_LABEL, const_cast<char*>(label.data()), label.size()},
    };
    CK_RV rv = f()->C_FindObjectsInit(session, query, 2);
    if (rv != CKR_OK) return Fail("鍵を検索できません", rv);
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    rv = f()->C_FindObjects(session, &found, 1, &count);
    f()->C_FindObjectsFinal(session);
    if (rv != CKR_OK) return Fail("鍵を検索できません", rv);
    return count == 1 ? found : CK_INVALID_HANDLE;
  }

  Result<std::string> Attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE a = {type, nullptr, 0};
    CK_RV rv = f()->C_GetAttributeValue(session, object, &a, 1);
    if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
      return Fail("鍵の属性を読めません", rv);
    }
    std::string value(a.ulValueLen, '\0');
    a.pValue = value.data();
    rv = f()->C_GetAttributeValue(session, object, &a, 1);
    if (rv != CKR_OK) return Fail("鍵の属性を読めません", rv);
    value.resize(a.ulValueLen);
    return value;
  }

  Result<std::string> PublicKey(TokenKeyType type, const std::string& label) {
    ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE pub, Find(CKO_PUBLIC_KEY, label));
    if (pub == CK_INVALID_HANDLE) {
      return Status::NotFound(description + " に鍵「" + label + "」（" + TypeName(type) +
                              " の公開鍵）がありません");
    }
    ASSIGN_OR_RETURN(const std::string point, Attribute(pub, CKA_EC_POINT));
    std::string raw = UnwrapEcPoint(point, RawPublicSize(type));
    if (raw.empty()) {
      return Status::FailedPrecondition(description + " の鍵「" + label + "」は " +
                                        TypeName(type) + " の鍵ではありません");
    }
    return raw;
  }

  Status Generate(TokenKeyType type, const std::string& label) {
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    const bool ec = type == TokenKeyType::kEcdsaP256;
    void* params = const_cast<unsigned char*>(ec ? kP256Params : kEd25519Params);
    const CK_ULONG params_size = ec ? sizeof kP256Params : sizeof kEd25519Params;
    char* l = const_cast<char*>(label.data());
    CK_ATTRIBUTE pub[] = {
        {CKA_TOKEN, &yes, sizeof yes},      {CKA_PRIVATE, &no, sizeof no},
        {CKA_VERIFY, &yes, sizeof yes},     {CKA_EC_PARAMS, params, params_size},
        {CKA_LABEL, l, label.size()},       {CKA_ID, l, label.size()},
    };
    CK_ATTRIBUTE priv[] = {
        {CKA_TOKEN, &yes, sizeof yes},       {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes},   {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_SIGN, &yes, sizeof yes},        {CKA_LABEL, l, label.size()},
        {CKA_ID, l, label.size()},
    };
    CK_MECHANISM mech = {ec ? CKM_EC_KEY_PAIR_GEN : CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
    CK_OBJECT_HANDLE pub_handle = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE priv_handle = CK_INVALID_HANDLE;
    const CK_RV rv = f()->C_GenerateKeyPair(session, &mech, pub, std::size(pub), priv,
                                            std::size(priv), &pub_handle, &priv_handle);
    if (rv != CKR_OK) {
      return Fail(std::string(TypeName(type)) + " の鍵「" + label + "」を生成できません", rv);
    }
    return Status::OK();
  }

  // The private key's handle, looked up once per label. mu held.
  Result<CK_OBJECT_HANDLE> SigningKey(const std::string& label) {
    if (const auto it = signing_keys.find(label); it != signing_keys.end()) return it->second;
    ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE key, Find(CKO_PRIVATE_KEY, label));
    if (key == CK_INVALID_HANDLE) {
      return Status::NotFound(description + " に秘密鍵「" + label + "」がありません");
    }
    signing_keys[label] = key;
    return key;
  }

  Result<std::string> Sign(TokenKeyType type, const std::string& label, std::string_view data) {
    ASSIGN_OR_RETURN(CK_OBJECT_HANDLE key, SigningKey(label));
    CK_MECHANISM mech = {type == TokenKeyType::kEcdsaP256 ? CKM_ECDSA : CKM_EDDSA, nullptr, 0};
    CK_RV rv = f()->C_SignInit(session, &mech, key);
    if (rv == CKR_KEY_HANDLE_INVALID || rv == CKR_OBJECT_HANDLE_INVALID) {
      signing_keys.erase(label);  // the object changed behind us: look it up again
      ASSIGN_OR_RETURN(key, SigningKey(label));
      rv = f()->C_SignInit(session, &mech, key);
    }
    if (rv != CKR_OK) return Fail("鍵「" + label + "」で署名を始められません", rv);
    std::string sig(128, '\0');
    CK_ULONG size = sig.size();
    rv = f()->C_Sign(session,
                     reinterpret_cast<CK_BYTE*>(const_cast<char*>(data.data())), data.size(),
                     reinterpret_cast<CK_BYTE*>(sig.data()), &size);
    if (rv != CKR_OK) return Fail("鍵「" + label + "」で署名できません", rv);
    if (size != 64) {
      return Status::Internal(description + ": 署名の長さが 64 バイトではありません（" +
                              std::to_string(size) + " バイト）");
    }
    sig.resize(size);
    return sig;
  }
};

Pkcs11Token::Pkcs11Token(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Pkcs11Token::~Pkcs11Token() {
  const ModuleAllocations module_allocations;
  // Closing the process's last session on the token also logs it out.
  if (impl_->session != CK_INVALID_HANDLE) impl_->f()->C_CloseSession(impl_->session);
}

Result<std::shared_ptr<Pkcs11Token>> Pkcs11Token::Open(const Pkcs11Options& options) {
  const ModuleAllocations module_allocations;
  auto impl = std::make_unique<Impl>();
  impl->description =
      "PKCS#11 トークン「" + options.token_label + "」（" + options.module_path + "）";
  ASSIGN_OR_RETURN(impl->module, LoadModule(options.module_path));
  CK_FUNCTION_LIST* f = impl->f();
  ASSIGN_OR_RETURN(const CK_SLOT_ID slot, FindSlot(f, options.token_label, impl->description));
  CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                              &impl->session);
  if (rv != CKR_OK) return impl->Fail("セッションを開けません", rv);
  std::shared_ptr<Pkcs11Token> token(new Pkcs11Token(std::move(impl)));
  Impl& i = *token->impl_;
  rv = f->C_Login(i.session, CKU_USER,
                  reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(options.pin.data())),
                  options.pin.size());
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE) {
    return Status::PermissionDenied(i.description +
                                    ": PIN が違います（kura.toml の [keys] で指定した環境変数か"
                                    "ファイルの PIN を確認してください。何度も間違えるとトークンがロックされます）");
  }
  if (rv == CKR_PIN_LOCKED) {
    return Status::PermissionDenied(i.description +
                                    ": PIN がロックされています（トークンの管理者 (SO) に解除を依頼してください）");
  }
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) return i.Fail("ログインできません", rv);
  return token;
}

Result<std::string> Pkcs11Token::GenerateKey(TokenKeyType type, const std::string& label) {
  const ModuleAllocations module_allocations;
  std::lock_guard<std::mutex> l(impl_->mu);
  ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE priv, impl_->Find(CKO_PRIVATE_KEY, label));
  ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE pub, impl_->Find(CKO_PUBLIC_KEY, label));
  if (priv != CK_INVALID_HANDLE || pub != CK_INVALID_HANDLE) {
    return Status::AlreadyExists(impl_->description + " には鍵「" + label +
                                 "」がすでにあります（別のラベルを指定してください）");
  }
  RETURN_IF_ERROR(impl_->Generate(type, label));
  return impl_->PublicKey(type, label);
}

Result<std::string> Pkcs11Token::PublicKey(TokenKeyType type, const std::string& label) {
  const ModuleAllocations module_allocations;
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->PublicKey(type, label);
}

Result<bool> Pkcs11Token::HasPrivateKey(const std::string& label) {
  const ModuleAllocations module_allocations;
  std::lock_guard<std::mutex> l(impl_->mu);
  ASSIGN_OR_RETURN(const CK_OBJECT_HANDLE priv, impl_->Find(CKO_PRIVATE_KEY, label));
  return priv != CK_INVALID_HANDLE;
}

Result<std::string> Pkcs11Token::Sign(TokenKeyType type, const std::string& label,
                                      std::string_view data) {
  const ModuleAllocations module_allocations;
  if (type == TokenKeyType::kEcdsaP256 && data.size() != 32) {
    return Status::InvalidArgument("ECDSA P-256 の署名には 32 バイトの SHA-256 ダイジェストが必要です");
  }
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->Sign(type, label, data);
}

const std::string& Pkcs11Token::description() const { return impl_->description; }

}  // namespace signing
