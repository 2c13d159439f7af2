// Differential libFuzzer target: the one-pass canonical scan of events
// against the parse-and-re-dump reference (archive/internal/event_fields.h).
//
// The contract, checked for every input:
//  - whenever ScanCanonicalEvent answers, its EventFields equal
//    DecodeEventReference's, and the reference calls the bytes canonical;
//  - DecodeEvent always equals DecodeEventReference.
// Any difference aborts, printing the input and both answers.
//
// The custom mutator parses the input as JSON and, when it can, changes the
// value (members added, removed, renamed; values replaced by other types,
// numbers at the edges, strings with escapes and non-ASCII; whole subtrees
// copied) and writes it back in kura's canonical form, mostly: canonical
// inputs are the ones the scan answers for, and random bytes almost never
// are. Two inputs in five go to libFuzzer's byte-level mutator instead
// (with event_fields.dict), which makes the near-canonical inputs the scan
// must decline.
//
// Seeds: tests/fuzz/corpus/event_fields (make_event_seeds.py). Run:
//   mkdir -p /tmp/event-corpus
//   build-fuzz/tests/fuzz/event_fields_fuzzer /tmp/event-corpus \
//     tests/fuzz/corpus/event_fields -dict=tests/fuzz/event_fields.dict \
//     -max_total_time=1800 -max_len=8192 -timeout=10 -rss_limit_mb=2048
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/internal/event_fields.h"
#include "base/hex.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using archive::EventFields;
using nlohmann::json;

std::string Opt(const std::optional<std::string>& s) {
  return s ? json(*s).dump(-1, ' ', true, json::error_handler_t::replace) : "(absent)";
}

std::string Describe(const EventFields& f) {
  std::string s;
  s += "  object=" + std::to_string(f.object) + " canonical=" + std::to_string(f.canonical) + "\n";
  s += "  type=" + Opt(f.type) + " id=" + Opt(f.id) + " sha256=" + Opt(f.sha256) +
       " media_type=" + Opt(f.media_type) + "\n";
  s += "  size=" + (f.size ? std::to_string(*f.size) : "(absent)") + "\n";
  s += "  receipt=" + (f.receipt ? f.receipt->Hex() : "(absent)") +
       " received_at=" + Opt(f.received_at) + " department=" + Opt(f.department) +
       " file_name=" + Opt(f.file_name) + "\n";
  s += "  search_row=" + Opt(f.search_row) + "\n";
  s += "  version=" + (f.version ? f.version->Hex() : "(absent)") +
       " version_number=" + (f.version_number ? std::to_string(*f.version_number) : "(absent)") +
       "\n";
  s += "  row_fields=" +
       (f.row_fields ? f.row_fields->dump(-1, ' ', true, json::error_handler_t::replace)
                     : "(absent)") +
       "\n";
  s += "  timestamp=" +
       std::string(f.timestamp == EventFields::Timestamp::kAbsent   ? "absent"
                   : f.timestamp == EventFields::Timestamp::kObject ? "object"
                                                                    : "other") +
       " tsr=" + Opt(f.tsr) + "\n";
  s += "  writes=" + Opt(f.writes) + "\n";
  return s;
}

[[noreturn]] void Difference(const char* what, std::string_view bytes, const EventFields& got,
                             const EventFields& ref) {
  std::fprintf(stderr,
               "\n=== DIFFERENCE: %s ===\ninput (%zu bytes, hex): %s\ninput (text): %.*s\n"
               "fast:\n%sreference (DecodeEventReference):\n%s",
               what, bytes.size(), base::HexEncode(bytes).c_str(), static_cast<int>(bytes.size()),
               bytes.data(), Describe(got).c_str(), Describe(ref).c_str());
  std::abort();
}

uint64_t inputs = 0, answered = 0;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const EventFields ref = archive::DecodeEventReference(bytes);
  const std::optional<EventFields> fast = archive::ScanCanonicalEvent(bytes);
  if (fast) {
    if (!(*fast == ref)) Difference("ScanCanonicalEvent answered differently", bytes, *fast, ref);
    if (!ref.canonical) {
      Difference("ScanCanonicalEvent answered for bytes the reference calls non-canonical", bytes,
                 *fast, ref);
    }
  }
  const EventFields decoded = archive::DecodeEvent(bytes);
  if (!(decoded == ref)) Difference("DecodeEvent differs from the reference", bytes, decoded, ref);
  ++inputs;
  answered += fast.has_value();
  if ((inputs & (inputs - 1)) == 0 && inputs >= 1024) {
    std::fprintf(stderr, "event_fields_fuzzer: %llu inputs, the scan answered %llu\n",
                 static_cast<unsigned long long>(inputs),  // NOLINT
                 static_cast<unsigned long long>(answered));
  }
  return 0;
}

// ---------------------------------------------------------------------------
// The structure-aware mutator.

namespace {

using Rng = std::mt19937;

size_t Pick(Rng& rng, size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}
bool Chance(Rng& rng, int percent) { return static_cast<int>(Pick(rng, 100)) < percent; }

// Member names of events (archive/internal/event_fields.h) and of the
// search row (kSearchRowFields in archive/search_index.h), plus a few that
// sort around them.
const char* const kKeys[] = {"type",
                             "id",
                             "sha256",
                             "size",
                             "media_type",
                             "receipt",
                             "received_at",
                             "department",
                             "file_name",
                             "version",
                             "number",
                             "fields",
                             "search_row",
                             "timestamp",
                             "tsr",
                             "writes",
                             "counterparty",
                             "currency",
                             "document_type",
                             "format",
                             "invoice_number",
                             "issue_date",
                             "line_descriptions",
                             "needs_metadata",
                             "registration_number",
                             "tax_inclusive_total",
                             "total",
                             "created_at",
                             "reason",
                             "gen_time",
                             "serial",
                             "kind",
                             "",
                             "a",
                             "z",
                             "\xe3\x81\x82",
                             "\n",
                             "sizes",
                             "typ",
                             "version ",
                             "type\x01",
                             "\xef\xbf\xbd",
                             "~"};

const char* const kStrings[] = {"document.received",
                                "document.received_again",
                                "document.corrected",
                                "D00000001",
                                "application/pdf",
                                "2026-11-22T01:00:00.000000Z",
                                "somu",
                                "invoice.pdf",
                                "\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8",
                                "",
                                "\"",
                                "\\",
                                "\n",
                                "\t",
                                "\x01",
                                "\x1f",
                                "\x7f",
                                "/",
                                "\xc3\xa9",
                                "\xe2\x80\xa8",
                                "\xf0\x9f\x98\x80",
                                "\xef\xbf\xbd",
                                "\xff",
                                "\xc0\x80",
                                "a\"b\\c",
                                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                "null",
                                "true",
                                "1"};

json RandomScalar(Rng& rng) {
  switch (Pick(rng, 14)) {
    case 0:
      return nullptr;
    case 1:
      return Chance(rng, 50);
    case 2:
      return static_cast<int64_t>(Pick(rng, 2000)) - 1000;
    case 3:
      return static_cast<uint64_t>(rng()) << Pick(rng, 33);
    case 4:
      return UINT64_MAX;
    case 5:
      return INT64_MIN;
    case 6:
      return static_cast<uint64_t>(0);
    case 7: {
      const double doubles[] = {0.0,
                                -0.0,
                                0.1,
                                1.5,
                                1000.0,
                                1e300,
                                -1e-300,
                                3e-07,
                                12.0,
                                1.0 / 3,
                                18446744073709551616.0,
                                9007199254740993.0};
      return doubles[Pick(rng, sizeof doubles / sizeof doubles[0])];
    }
    default:
      return kStrings[Pick(rng, sizeof kStrings / sizeof kStrings[0])];
  }
}

json RandomValue(Rng& rng, int depth) {
  if (depth > 3 || Chance(rng, 70)) return RandomScalar(rng);
  if (Chance(rng, 50)) {
    json a = json::array();
    for (size_t n = Pick(rng, 4); n > 0; --n) a.push_back(RandomValue(rng, depth + 1));
    return a;
  }
  json o = json::object();
  for (size_t n = Pick(rng, 4); n > 0; --n) {
    o[kKeys[Pick(rng, sizeof kKeys / sizeof kKeys[0])]] = RandomValue(rng, depth + 1);
  }
  return o;
}

void CollectValues(json* v, std::vector<json*>* out) {
  out->push_back(v);
  if (v->is_object() || v->is_array()) {
    for (json& c : *v) CollectValues(&c, out);
  }
}

void MutateString(Rng& rng, std::string* s) {
  switch (Pick(rng, 4)) {
    case 0:
      s->insert(Pick(rng, s->size() + 1),
                kStrings[Pick(rng, sizeof kStrings / sizeof kStrings[0])]);
      break;
    case 1:
      if (!s->empty()) s->erase(Pick(rng, s->size()), 1);
      break;
    case 2:
      if (!s->empty()) (*s)[Pick(rng, s->size())] = static_cast<char>(Pick(rng, 128));
      break;
    default:
      *s = kStrings[Pick(rng, sizeof kStrings / sizeof kStrings[0])];
      break;
  }
}

void MutateJson(Rng& rng, json* root) {
  std::vector<json*> values;
  CollectValues(root, &values);
  json& v = *values[Pick(rng, values.size())];
  switch (Pick(rng, 10)) {
    case 0:
      v = RandomScalar(rng);
      break;
    case 1:
      v = RandomValue(rng, 1);
      break;
    case 2:  // add or overwrite a member
      if (v.is_object()) {
        v[kKeys[Pick(rng, sizeof kKeys / sizeof kKeys[0])]] = RandomValue(rng, 1);
      } else if (v.is_array()) {
        v.insert(v.begin() + static_cast<std::ptrdiff_t>(Pick(rng, v.size() + 1)),
                 RandomValue(rng, 1));
      }
      break;
    case 3:  // remove a member or element
      if ((v.is_object() || v.is_array()) && !v.empty()) {
        auto it = v.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(Pick(rng, v.size())));
        v.erase(it);
      }
      break;
    case 4:  // rename a member
      if (v.is_object() && !v.empty()) {
        auto it = v.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(Pick(rng, v.size())));
        json moved = std::move(it.value());
        v.erase(it);
        v[kKeys[Pick(rng, sizeof kKeys / sizeof kKeys[0])]] = std::move(moved);
      }
      break;
    case 5:  // wrap
      v = Chance(rng, 50) ? json::array({v})
                          : json{{kKeys[Pick(rng, sizeof kKeys / sizeof kKeys[0])], v}};
      break;
    case 6: {  // copy another subtree here
      const json copy = *values[Pick(rng, values.size())];
      v = copy;
      break;
    }
    case 7:
      if (v.is_string()) {
        std::string s = v.get<std::string>();
        MutateString(rng, &s);
        v = s;
      } else {
        v = RandomScalar(rng);
      }
      break;
    case 8:
      if (v.is_number()) {
        v = RandomScalar(rng);
      } else if (v.is_object()) {
        v["fields"] = json{{"counterparty", RandomScalar(rng)},
                           {"line_descriptions", json::array({RandomScalar(rng), "x"})},
                           {"needs_metadata", RandomScalar(rng)},
                           {"total", RandomScalar(rng)}};
      }
      break;
    default:  // the members the verifier reads, at the top level
      if (root->is_object()) {
        (*root)[kKeys[Pick(rng, 16)]] = RandomValue(rng, 1);
      }
      break;
  }
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  Rng rng(seed);
  if (Chance(rng, 40)) return LLVMFuzzerMutate(data, size, max_size);
  json doc = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return LLVMFuzzerMutate(data, size, max_size);
  for (size_t n = 1 + Pick(rng, 3); n > 0; --n) MutateJson(rng, &doc);
  std::string out;
  const size_t form = Pick(rng, 100);
  if (form < 88) {
    out = doc.dump(-1, ' ', false, json::error_handler_t::replace);  // EventLog::Canonical
  } else if (form < 94) {
    out = doc.dump(-1, ' ', true, json::error_handler_t::replace);  // \u escapes
  } else {
    out = doc.dump(static_cast<int>(Pick(rng, 3)), ' ', false, json::error_handler_t::replace);
  }
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
