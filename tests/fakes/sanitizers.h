// Whether the test binary is built with AddressSanitizer (the asan preset in
// CMakePresets.json), for the few tests whose bounds only ASan's own overhead
// breaks: its shadow memory and quarantine in RSS, its larger stack frames.
// Such a test names the overhead where it uses this.
#ifndef TESTS_FAKES_SANITIZERS_H_
#define TESTS_FAKES_SANITIZERS_H_

namespace kura_test {

#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)  // Clang
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace kura_test

#endif  // TESTS_FAKES_SANITIZERS_H_
