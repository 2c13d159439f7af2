#include "web/login_throttle.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace web {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-23T01:00:00Z")};
};

TEST_F(LoginThrottleTest, LocksANameAfterTooManyFailuresInTheWindow) {
  LoginThrottle t(&clock_, {.max_failures = 3, .max_failures_per_address = 100});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(t.Wait("kato", "10.0.0.1").count(), 0);
    t.Failed("kato", "10.0.0.1");
  }
  EXPECT_EQ(t.Wait("kato", "10.0.0.2").count(), 0);
  t.Failed("kato", "10.0.0.2");  // the third, from elsewhere: still the same name
  EXPECT_EQ(t.Wait("kato", "10.0.0.3"), seconds(minutes(15)));
  EXPECT_EQ(t.Wait("ito", "10.0.0.1").count(), 0);
  clock_.Set(clock_.Now() + minutes(10));
  EXPECT_EQ(t.Wait("kato", "10.0.0.1"), seconds(minutes(5)));
  clock_.Set(clock_.Now() + minutes(5));
  EXPECT_EQ(t.Wait("kato", "10.0.0.1").count(), 0);
}

TEST_F(LoginThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  LoginThrottle t(&clock_, {.max_failures = 3});
  t.Failed("kato", "a");
  t.Failed("kato", "a");
  clock_.Set(clock_.Now() + minutes(16));
  t.Failed("kato", "a");  // starts a new window: 1 of 3
  t.Failed("kato", "a");
  EXPECT_EQ(t.Wait("kato", "a").count(), 0);
  t.Failed("kato", "a");
  EXPECT_GT(t.Wait("kato", "a").count(), 0);
}

TEST_F(LoginThrottleTest, SuccessClearsTheNameButNotTheAddress) {
  LoginThrottle t(&clock_, {.max_failures = 3, .max_failures_per_address = 4});
  t.Failed("kato", "a");
  t.Failed("kato", "a");
  t.Succeeded("kato");
  t.Failed("kato", "a");
  t.Failed("kato", "a");
  EXPECT_EQ(t.Wait("kato", "b").count(), 0);  // 2 since the success
  // But the address has failed 4 times: everyone from it waits.
  EXPECT_GT(t.Wait("ito", "a").count(), 0);
  EXPECT_EQ(t.Wait("ito", "b").count(), 0);
}

TEST_F(LoginThrottleTest, MemoryIsBoundedWhenNamesNeverRepeat) {
  LoginThrottle t(&clock_, {.max_failures = 3, .max_failures_per_address = 1'000'000,
                            .max_entries = 100});
  for (int i = 0; i < 1000; ++i) {
    t.Failed("guess" + std::to_string(i), "a");
    clock_.Set(clock_.Now() + seconds(1));
  }
  EXPECT_LE(t.tracked_logins(), 100u);
  // The newest names are still counted: the latest locks after its own
  // failures.
  t.Failed("guess999", "a");
  t.Failed("guess999", "a");
  EXPECT_GT(t.Wait("guess999", "b").count(), 0);
}

}  // namespace
}  // namespace web
