#include "web/internal/ui_assets.h"

namespace web::internal {

const UiAsset* FindUiAsset(std::string_view path) {
  for (size_t i = 0; i < kUiAssetCount; ++i) {
    if (kUiAssets[i].path == path) return &kUiAssets[i];
  }
  return nullptr;
}

}  // namespace web::internal
