// libFuzzer entry point for invoice::ReadInvoice.
//
// Build (clang; instrument the library too):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//     -DKURA_BUILD_FUZZ=ON -DKURA_BUILD_TESTS=ON \
//     -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address
//   cmake --build build-fuzz --target read_invoice_fuzzer -j2
// Run, seeded with a flat copy of the samples made outside the repository:
//   mkdir -p /tmp/corpus && find ../shared/samples -type f ! -name '*.md' \
//     -exec cp {} /tmp/corpus/ \;
//   build-fuzz/tests/invoice/read_invoice_fuzzer /tmp/corpus \
//     -max_total_time=240 -rss_limit_mb=2048 -timeout=10 -max_len=160000
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  invoice::ReadLimits limits;
  limits.max_time = std::chrono::milliseconds(2000);
  limits.max_pdf_decoded_bytes = size_t{64} << 20;
  const invoice::ReadResult r =
      invoice::ReadInvoice(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  // Every output must serialise: nlohmann::json::dump throws on bad UTF-8.
  (void)invoice::ReadResultToJson(r).dump();
  return 0;
}
