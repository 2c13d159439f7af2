// POST /api/v1/documents over real HTTP, as uploads arrive (issue 12, item
// 1): the body is streamed into spools and never held whole in memory
// (measured on this process's resident set: the server runs in it), with
// Content-Length or chunked; every file part gets its own result; nothing
// is left in objects/tmp afterwards; and a request without a session or
// CSRF token is answered before its body is read, on a connection that then
// closes, so the unread body is never taken for a request.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "archive/ocr_worker.h"
#include "base/random.h"
#include "ledger/data_dir.h"
#include "signing/sha256.h"
#include "tests/fakes/sanitizers.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";
constexpr char kBoundary[] = "kura-test-boundary-7f3a9c2e51d04b68";
constexpr uint64_t kMiB = uint64_t{1} << 20;

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1.
long StatusKiB(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// The peak resident set while it lives, in KiB above what it was at the
// start: the kernel's high-water mark, reset at the start (clear_refs), and
// samples every few milliseconds where the reset is not allowed.
class PeakRss {
 public:
  PeakRss() : before_(StatusKiB("VmRSS")) {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    hwm_reset_ = clear.good() && StatusKiB("VmHWM") - StatusKiB("VmRSS") < 1024;
    sampler_ = std::thread([this] {
      while (!stop_) {
        peak_ = std::max(peak_.load(), StatusKiB("VmRSS"));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  ~PeakRss() { Stop(); }
  long Stop() {
    if (sampler_.joinable()) {
      stop_ = true;
      sampler_.join();
    }
    const long peak = hwm_reset_ ? std::max(peak_.load(), StatusKiB("VmHWM")) : peak_.load();
    return peak - before_;
  }

 private:
  const long before_;
  bool hwm_reset_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<long> peak_{0};
  std::thread sampler_;
};

// A multipart body with a department part and one file part of `size`
// pseudo-random bytes, made as it is sent (never whole in memory), and the
// SHA-256 of the file's bytes once sent.
class StreamedUpload {
 public:
  StreamedUpload(uint64_t size, uint64_t seed, const std::string& file_name)
      : size_(size), rnd_(seed) {
    head_ = std::string("--") + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"department\"\r\n\r\nsomu\r\n--" +
            kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            file_name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    tail_ = std::string("\r\n--") + kBoundary + "--\r\n";
  }
  static std::string ContentType() {
    return std::string("multipart/form-data; boundary=") + kBoundary;
  }
  uint64_t length() const { return head_.size() + size_ + tail_.size(); }
  std::string sha256() { return sha256_; }

  // The next piece of the body (at most max bytes); empty at the end.
  std::string Next(size_t max) {
    std::string out;
    if (!head_sent_) {
      head_sent_ = true;
      return head_;
    }
    if (made_ < size_) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(max, size_ - made_)) & ~size_t{7};
      out.resize(std::max<size_t>(n, 8));
      for (size_t i = 0; i < out.size(); i += 8) {
        const uint64_t r = rnd_.Next();
        std::memcpy(&out[i], &r, 8);
      }
      // A fixed start: no reader mistakes the random bytes for XML or PDF.
      if (made_ == 0) out.replace(0, 8, "\x01scan\x02\x03\x04", 8);
      out.resize(static_cast<size_t>(std::min<uint64_t>(out.size(), size_ - made_)));
      made_ += out.size();
      hasher_.Update(out);
      if (made_ == size_) sha256_ = hasher_.Finish().Hex();
      return out;
    }
    if (!tail_sent_) {
      tail_sent_ = true;
      return tail_;
    }
    return out;
  }

  // For httplib::Client: with a Content-Length, or chunked.
  httplib::ContentProvider WithLength() {
    return [this](size_t, size_t length, httplib::DataSink& sink) {
      const std::string piece = Next(std::min<size_t>(length, 256 << 10));
      return sink.write(piece.data(), piece.size());
    };
  }
  httplib::ContentProviderWithoutLength Chunked() {
    return [this](size_t, httplib::DataSink& sink) {
      const std::string piece = Next(256 << 10);
      if (piece.empty()) {
        sink.done();
        return true;
      }
      return sink.write(piece.data(), piece.size());
    };
  }

 private:
  const uint64_t size_;
  base::Random rnd_;
  std::string head_, tail_;
  bool head_sent_ = false, tail_sent_ = false;
  uint64_t made_ = 0;
  signing::Sha256Hasher hasher_;
  std::string sha256_;
};

// The SHA-256 and size of a file read in pieces.
std::pair<std::string, uint64_t> HashFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  signing::Sha256Hasher hasher;
  std::string buf(1 << 20, '\0');
  uint64_t size = 0;
  while (f) {
    f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const size_t n = static_cast<size_t>(f.gcount());
    hasher.Update(std::string_view(buf.data(), n));
    size += n;
  }
  return {hasher.Finish().Hex(), size};
}

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Everything the server sends until it closes the connection; *closed says
// whether it did within timeout_ms.
std::string ReadUntilClosed(int fd, int timeout_ms, bool* closed) {
  std::string out;
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  *closed = false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

// A reader for the background OCR that stands in for Tesseract and holds
// each reading open until released (10 s at most, then it notes the
// timeout), so that an answer given before OCR ends is shown without timing.
class HeldOcr {
 public:
  archive::OcrReader Reader() {
    return [this](std::string_view id, std::string_view bytes,
                  const std::atomic<bool>* cancelled) -> base::Result<json> {
      std::unique_lock<std::mutex> lock(mu_);
      reading_ = std::string(id);
      changed_.notify_all();
      if (!changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return released_ || cancelled->load(); })) {
        timed_out_ = true;
      }
      reading_.clear();
      if (bytes.find("unreadable") != std::string_view::npos) {
        return base::Status::Corruption("画像を読み取れません");
      }
      return json{{"proposal", {{"total", "11000"}}}, {"engine", "fake"}};
    };
  }
  bool WaitReading(const std::string& id) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return reading_ == id; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    changed_.notify_all();
  }
  bool timed_out() {
    std::lock_guard<std::mutex> lock(mu_);
    return timed_out_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool released_ = false;
  bool timed_out_ = false;
  std::string reading_;
};

class UploadTest : public ::testing::Test {
 protected:
  // A server whose uploads may be max_file_bytes large (the archive's limit
  // too) and carry max_files file parts.
  void Start(uint64_t max_file_bytes = 100 * kMiB, size_t max_files = 100) {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ao.max_file_bytes = max_file_bytes;
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const workflow::User root = workflow::Workflow::SystemUser("test");
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root));
    for (auto [login, role] : {std::pair{"kato", Role::kClerk}, {"kansa", Role::kAuditor}}) {
      workflow::User u{login, std::string(login) + "さん", "somu", {role}, "", true};
      ASSERT_OK(wf_->AddUser(u, kPassword, root));
    }
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.api.max_upload_bytes = max_file_bytes;
    so.api.max_upload_files = max_files;
    if (with_ocr_) {
      auto store = archive::OcrStore::Open(archive_.get());
      ASSERT_OK(store);
      ocr_store_ = std::move(*store);
      ocr_worker_ = std::make_unique<archive::OcrWorker>(archive_.get(), ocr_store_.get(),
                                                         held_ocr_.Reader(), &clock_);
      ocr_worker_->Start();
      so.api.ocr_worker = ocr_worker_.get();
    }
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    port_ = *port;
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(120, 0);
    client_->set_write_timeout(120, 0);
    ASSERT_TRUE(client_->Get("/healthz"));  // the accept loop runs
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  // The Cookie and X-CSRF-Token headers of a fresh session.
  httplib::Headers LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    EXPECT_TRUE(res && res->status == 200);
    if (!res) return {};
    const std::string cookie = res->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(res->body).value("csrf_token", "")}};
  }
  std::string ObjectPath(const std::string& sha) const {
    return dir_.Join("kura-data/objects/sha256/") + sha.substr(0, 2) + "/" + sha.substr(2, 2) +
           "/" + sha;
  }
  // What is in objects/tmp besides the writers' live locks and intent logs:
  // spools and temp files, which must not outlive a request.
  std::vector<std::string> TempFiles() const {
    std::vector<std::string> left;
    const auto names = fs_->ListDir(dir_.Join("kura-data/objects/tmp"));
    EXPECT_OK(names);
    if (!names.ok()) return {"?"};
    for (const auto& name : *names) {
      if (name.find(".live") == std::string::npos && name.find(".intents") == std::string::npos) {
        left.push_back(name);
      }
    }
    return left;
  }
  // Uploads a streamed file of `size` bytes, with a Content-Length or
  // chunked; checks that the archived original is what was sent and that
  // the resident set grew by less than 48 MiB meanwhile.
  void UploadLarge(uint64_t size, bool chunked) {
    const httplib::Headers clerk = LogIn("kato");
    StreamedUpload body(size, ::testing::UnitTest::GetInstance()->random_seed() + chunked,
                        "scan.bin");
    PeakRss peak;
    auto res = chunked ? client_->Post("/api/v1/documents", clerk, body.Chunked(),
                                       StreamedUpload::ContentType())
                       : client_->Post("/api/v1/documents", clerk, body.length(), body.WithLength(),
                                       StreamedUpload::ContentType());
    const long grown_kib = peak.Stop();
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 201) << res->body;
    const json out = json::parse(res->body);
    EXPECT_EQ(out["status"], "archived");
    EXPECT_EQ(out["file"], "scan.bin");
    EXPECT_EQ(out["size"], size);
    EXPECT_EQ(out["media_type"], "application/octet-stream");
    EXPECT_EQ(out["sha256"], body.sha256());
    // Under ASan the freed stream buffers stay resident in its quarantine
    // (up to 256 MiB by default), so the bound says nothing there; the
    // normal build checks it.
    if (!kura_test::kAddressSanitizer) {
      EXPECT_LT(grown_kib, 48 * 1024) << "KiB more resident during the upload";
    }
    RecordProperty("rss_growth_kib", std::to_string(grown_kib));
    const auto [sha, stored] = HashFile(ObjectPath(body.sha256()));
    EXPECT_EQ(sha, body.sha256());
    EXPECT_EQ(stored, size);
    auto view = archive_->Get(out["id"].get<std::string>());
    ASSERT_OK(view);
    EXPECT_EQ(view->document.sha256, body.sha256());
    EXPECT_EQ(view->receipts[0].department, "somu");
    EXPECT_TRUE(TempFiles().empty());
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-06-01T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  bool with_ocr_ = false;  // Start() runs a background OCR worker over held_ocr_
  HeldOcr held_ocr_;
  std::unique_ptr<archive::OcrStore> ocr_store_;
  std::unique_ptr<archive::OcrWorker> ocr_worker_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

TEST_F(UploadTest, AHundredMebibyteFileWithALengthIsStreamedNotHeldInMemory) {
  Start();
  UploadLarge(100 * kMiB, /*chunked=*/false);
}

TEST_F(UploadTest, AHundredMebibyteChunkedFileIsStreamedNotHeldInMemory) {
  Start();
  UploadLarge(100 * kMiB, /*chunked=*/true);
}

// Issue 15: OCR reads a scan in the background, never holding up the
// upload's answer; GET …/ocr says where it stands.
TEST_F(UploadTest, AScanIsAnsweredBeforeItsOcrWhichTheOcrEndpointThenFollows) {
  with_ocr_ = true;
  Start();
  const httplib::Headers clerk = LogIn("kato");
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "a scanned invoice";
  auto res = client_->Post("/api/v1/documents", clerk,
                           httplib::MultipartFormDataItems{{"file", png, "scan.png", "image/png"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string id = json::parse(res->body)["id"];
  ASSERT_TRUE(held_ocr_.WaitReading(id));
  EXPECT_FALSE(held_ocr_.timed_out());  // answered while its OCR was held open
  auto get = [&](const std::string& doc) {
    auto r = client_->Get("/api/v1/documents/" + doc + "/ocr", clerk);
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body) : json();
  };
  EXPECT_EQ(get(id), json({{"id", id}, {"done", false}, {"status", "reading"}}));
  held_ocr_.Release();
  ocr_worker_->WaitIdle();
  const json done = get(id);
  EXPECT_EQ(done["done"], true);
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["proposal"]["total"], "11000");
  EXPECT_EQ(done["engine"], "fake");
  // A scan that cannot be read: the failure, once; an XML invoice: no scan.
  auto bad = client_->Post(
      "/api/v1/documents", clerk,
      httplib::MultipartFormDataItems{{"file", png + " unreadable", "bad.png", "image/png"},
                                      {"file", "<Invoice>one</Invoice>", "one.xml", "application/xml"}});
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->status, 201) << bad->body;
  const json results = json::parse(bad->body)["results"];
  ocr_worker_->WaitIdle();
  const json failed = get(results[0]["id"]);
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["done"], false);
  EXPECT_EQ(failed["error"], "画像を読み取れません");
  EXPECT_EQ(get(results[1]["id"])["status"], "not_scan");
}

TEST_F(UploadTest, EachFilePartGetsItsResultAndAnOverLimitPartIsRefusedAlone) {
  Start(/*max_file_bytes=*/kMiB);
  const std::string big(kMiB + 1, 'x');
  httplib::MultipartFormDataItems items{
      {"file", "<Invoice>one</Invoice>", "one.xml", "application/xml"},
      {"file", big, "big.pdf", "application/pdf"},
      {"department", "somu", "", ""},
      {"file", "%PDF-1.4 a scan", "three.pdf", "application/pdf"}};
  auto res = client_->Post("/api/v1/documents", LogIn("kato"), items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json body = json::parse(res->body);
  const json& results = body["results"];
  ASSERT_EQ(results.size(), 3u) << body.dump();
  EXPECT_EQ(results[0]["status"], "archived");
  EXPECT_EQ(results[0]["sha256"], signing::Sha256("<Invoice>one</Invoice>").Hex());
  EXPECT_EQ(results[1]["file"], "big.pdf");
  EXPECT_EQ(results[1]["error"]["code"], "too_large");
  EXPECT_EQ(results[1]["error"]["message"], "big.pdf: ファイルが上限（1 MiB）を超えています");
  EXPECT_EQ(results[2]["status"], "archived");
  EXPECT_EQ(results[2]["file"], "three.pdf");
  EXPECT_EQ(body["counts"], json({{"archived", 2}, {"duplicate", 0}, {"refused", 1}}));
  EXPECT_FALSE(std::filesystem::exists(ObjectPath(signing::Sha256(big).Hex())));
  EXPECT_TRUE(TempFiles().empty());
}

// Today's documented behaviour: more file parts than the cap refuse the
// request whole, and nothing is archived; the spools go too.
TEST_F(UploadTest, MoreFilePartsThanTheCapAreRefusedWholeWithNothingLeft) {
  Start(kMiB, /*max_files=*/3);
  httplib::MultipartFormDataItems items;
  for (int i = 0; i < 4; ++i) {
    items.push_back({"file", "%PDF-1.4 no. " + std::to_string(i), "f.pdf", "application/pdf"});
  }
  const httplib::Headers clerk = LogIn("kato");
  const uint64_t writes = archive_->ledger().write_stats().writes;
  auto res = client_->Post("/api/v1/documents", clerk, items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("3 件まで"), std::string::npos) << res->body;
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes);
  EXPECT_TRUE(TempFiles().empty());
}

TEST_F(UploadTest, ABrokenOrOddBodyIsRefusedAndLeavesNothing) {
  Start(kMiB);
  const httplib::Headers clerk = LogIn("kato");
  const uint64_t writes = archive_->ledger().write_stats().writes;
  // The closing boundary never comes.
  const std::string cut = std::string("--") + kBoundary +
                          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\""
                          "\r\n\r\n%PDF-1.4 half a file";
  auto res = client_->Post("/api/v1/documents", clerk, cut, StreamedUpload::ContentType());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  // A department part is a short word.
  httplib::MultipartFormDataItems long_department{
      {"department", std::string(300, 's'), "", ""},
      {"file", "%PDF-1.4 x", "x.pdf", "application/pdf"}};
  res = client_->Post("/api/v1/documents", clerk, long_department);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("department"), std::string::npos) << res->body;
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes);
  EXPECT_TRUE(TempFiles().empty());
}

// The session, the CSRF token and whether the caller may upload at all are
// checked before a byte of the body is read: a 100 MiB body announced (by
// its length, or chunked) and barely begun is answered at once, nothing is
// spooled, and the connection closes.
TEST_F(UploadTest, NoSessionNoCsrfOrNoRightIsRefusedBeforeTheBody) {
  Start();
  const httplib::Headers clerk = LogIn("kato"), auditor = LogIn("kansa");
  const std::string cookie = "Cookie: " + clerk.find("Cookie")->second + "\r\n";
  const std::string csrf = "X-CSRF-Token: " + clerk.find("X-CSRF-Token")->second + "\r\n";
  const std::string auditor_headers = "Cookie: " + auditor.find("Cookie")->second + "\r\n" +
                                      "X-CSRF-Token: " + auditor.find("X-CSRF-Token")->second +
                                      "\r\n";
  struct Case {
    std::string headers;
    int status;
  };
  const std::vector<Case> cases = {{"", 401}, {cookie, 403}, {auditor_headers, 403}};
  const uint64_t writes = archive_->ledger().write_stats().writes;
  const long before = StatusKiB("VmRSS");
  for (const bool chunked : {false, true}) {
    for (const Case& c : cases) {
      const int fd = Connect(port_);
      ASSERT_GE(fd, 0);
      std::string head = "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                         StreamedUpload::ContentType() + "\r\n" + c.headers;
      head += chunked ? "Transfer-Encoding: chunked\r\n\r\n"
                      : "Content-Length: " + std::to_string(100 * kMiB) + "\r\n\r\n";
      std::string start = std::string("--") + kBoundary +
                          "\r\nContent-Disposition: form-data; name=\"file\"; "
                          "filename=\"a.bin\"\r\n\r\n" +
                          std::string(16 << 10, 'a');
      if (chunked) {
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", start.size());
        start = size + start + "\r\n";
      }
      ASSERT_TRUE(SendAll(fd, head + start));
      const auto t0 = std::chrono::steady_clock::now();
      bool closed = false;
      const std::string answer = ReadUntilClosed(fd, 5000, &closed);
      ::close(fd);
      EXPECT_EQ(StatusOf(answer), c.status) << c.headers << answer;
      EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
      EXPECT_TRUE(closed) << "the connection stays open after a body left unread";
      EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
    }
  }
  EXPECT_LT(StatusKiB("VmRSS") - before, 16 * 1024);
  EXPECT_TRUE(TempFiles().empty());
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes);
}

// An unread body must not be parsed as the next request on the connection
// (request smuggling behind a proxy): the connection ends after the answer.
TEST_F(UploadTest, AnUnreadBodyIsNeverTakenForTheNextRequest) {
  Start();
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string path : {"/api/v1/documents", "/api/v1/nothing-here"}) {
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                                StreamedUpload::ContentType() + "\r\nContent-Length: " +
                                std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled));
    bool closed = false;
    const std::string answer = ReadUntilClosed(fd, 5000, &closed);
    ::close(fd);
    EXPECT_TRUE(closed) << path;
    EXPECT_EQ(StatusOf(answer), path == "/api/v1/documents" ? 401 : 404) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << "smuggled request served";
  }
}

// cpp-httplib would inflate an encoded body without limit: a 1 MiB gzip body
// became 1 GiB of memory before any handler ran. No route takes one.
TEST_F(UploadTest, AnEncodedBodyIsRefusedBeforeItIsInflated) {
  Start();
  for (const char* path : {"/api/v1/session", "/api/v1/documents"}) {
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, std::string("POST ") + path +
                                " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                "Content-Encoding: gzip\r\nContent-Length: 900000\r\n\r\n"));
    bool closed = false;
    const std::string answer = ReadUntilClosed(fd, 5000, &closed);
    ::close(fd);
    EXPECT_EQ(StatusOf(answer), 415) << answer;
    EXPECT_NE(answer.find("unsupported_media_type"), std::string::npos) << answer;
    EXPECT_TRUE(closed);
  }
}

}  // namespace
}  // namespace web
