// The stored form of a registry entry (workflow/nta_registry.h) and the
// compact rows of an import. Internal to workflow/.
//
// Key: the 13 digits of the registration number (ASCII, so that byte order
// is numeric order). Value: kind, process, latest, registered, updated,
// cancelled, expired, sequence, name, kana, address joined by 0x1F (the
// reader turns control characters in the text into spaces).
#ifndef WORKFLOW_INTERNAL_REGISTRY_CODEC_H_
#define WORKFLOW_INTERNAL_REGISTRY_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "workflow/nta_registry.h"

namespace workflow::internal {

struct RegistryItem {
  uint64_t key = 0;     ///< the 13 digits as a number
  uint64_t offset = 0;  ///< of the value in the arena
  uint32_t length = 0;
  uint32_t order = 0;   ///< read order
  bool latest = true;
  bool deleted = false;  ///< 事業者処理区分 99
};

/// The 13-digit key of a number (digits of "T…", or the digits as given).
std::string RegistryKey(uint64_t key);

void AppendRegistryValue(const RegistryEntry& e, std::string* out);
/// Corruption if the value is not in the stored form.
base::Result<RegistryEntry> DecodeRegistryValue(std::string_view key, std::string_view value);

}  // namespace workflow::internal

struct workflow::RegistryRows::Rep {
  std::vector<internal::RegistryItem> items;
  std::string arena;
};

#endif  // WORKFLOW_INTERNAL_REGISTRY_CODEC_H_
