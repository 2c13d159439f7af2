#include "web/login_throttle.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace web {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  // What the login handler does: an attempt goes ahead only if it need not
  // wait, and a wrong password is then a failure. Returns whether it went
  // ahead.
  bool Attempt(LoginThrottle& t, const std::string& login, const std::string& address,
               bool right_password = false) {
    if (t.Wait(login, address).count() > 0) return false;
    if (right_password) {
      t.Succeeded(login, address);
    } else {
      onsets_ += t.Failed(login, address).size();
    }
    return true;
  }
  void Advance(std::chrono::seconds d) { clock_.Set(clock_.Now() + d); }

  base::FakeClock clock_{*base::ParseRfc3339("2026-11-23T01:00:00Z")};
  size_t onsets_ = 0;
};

TEST_F(LoginThrottleTest, APairWaitsAfterFiveFailuresWithDelaysThatDoubleUpToFifteenMinutes) {
  LoginThrottle t(&clock_);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Attempt(t, "kato", "10.0.0.1")) << i;
  EXPECT_EQ(t.Wait("kato", "10.0.0.1"), seconds(minutes(1)));
  // Another name from the same address, and the same name from another
  // address, are not slowed by it.
  EXPECT_EQ(t.Wait("ito", "10.0.0.1").count(), 0);
  EXPECT_EQ(t.Wait("kato", "10.0.0.2").count(), 0);
  // 1, 2, 4, 8, 15, 15 minutes after each further failure.
  for (int m : {1, 2, 4, 8, 15, 15}) {
    EXPECT_EQ(t.Wait("kato", "10.0.0.1"), seconds(minutes(m)));
    Advance(minutes(m) - seconds(1));
    EXPECT_EQ(t.Wait("kato", "10.0.0.1"), seconds(1));
    Advance(seconds(1));
    EXPECT_TRUE(Attempt(t, "kato", "10.0.0.1"));
  }
  EXPECT_EQ(onsets_, 1u) << "one event per onset, not per attempt";
  // An hour without a failure and the pair starts afresh.
  Advance(minutes(61));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Attempt(t, "kato", "10.0.0.1")) << i;
  EXPECT_FALSE(Attempt(t, "kato", "10.0.0.1"));
  EXPECT_EQ(onsets_, 2u);
}

TEST_F(LoginThrottleTest, ASuccessClearsItsPair) {
  LoginThrottle t(&clock_);
  for (int i = 0; i < 4; ++i) Attempt(t, "kato", "a");
  EXPECT_TRUE(Attempt(t, "kato", "a", /*right_password=*/true));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Attempt(t, "kato", "a"));
  EXPECT_TRUE(Attempt(t, "kato", "a", true));
}

// Issue 12, finding 7: a hundred wrong passwords for the accountant from
// one address do not keep the accountant out at their own address.
TEST_F(LoginThrottleTest, NoLockoutOfAColleagueFromAnotherAddress) {
  LoginThrottle t(&clock_);
  for (int i = 0; i < 100; ++i) {
    // Worst case: failures recorded without waiting.
    t.Failed("kaikei", "10.0.0.9");
  }
  EXPECT_GT(t.Wait("kaikei", "10.0.0.9").count(), 0);
  EXPECT_EQ(t.Wait("kaikei", "10.0.0.5").count(), 0);
  EXPECT_TRUE(Attempt(t, "kaikei", "10.0.0.5", /*right_password=*/true));
  // Later, still under attack, kaikei gets in again at once.
  for (int i = 0; i < 100; ++i) t.Failed("kaikei", "10.0.0.9");
  EXPECT_TRUE(Attempt(t, "kaikei", "10.0.0.5", true));
}

TEST_F(LoginThrottleTest, ANameUnderADistributedAttackIsSlowedNeverBlocked) {
  LoginThrottleOptions o;
  o.name_attack_failures = 20;
  LoginThrottle t(&clock_, o);
  // kaikei logged in from its own PC before the attack.
  EXPECT_TRUE(Attempt(t, "kaikei", "10.0.0.5", true));
  // Twenty addresses guess once each: under the pair limit everywhere.
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(Attempt(t, "kaikei", "192.0.2." + std::to_string(i)));
  // Now every address that has failed for kaikei waits after one failure...
  EXPECT_GT(t.Wait("kaikei", "192.0.2.3").count(), 0);
  // ... an address that has not failed still gets its attempt (slowed:
  // one free failure instead of five) ...
  EXPECT_EQ(t.Wait("kaikei", "198.51.100.7").count(), 0);
  EXPECT_TRUE(Attempt(t, "kaikei", "198.51.100.7"));
  EXPECT_EQ(t.Wait("kaikei", "198.51.100.7"), seconds(minutes(1)));
  // ... and kaikei at its own PC keeps the full five, even after mistyping.
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Attempt(t, "kaikei", "10.0.0.5"));
  EXPECT_TRUE(Attempt(t, "kaikei", "10.0.0.5", true));
  // Other names are not affected.
  EXPECT_TRUE(Attempt(t, "ito", "192.0.2.3"));
  EXPECT_TRUE(Attempt(t, "ito", "192.0.2.3"));
}

TEST_F(LoginThrottleTest, AnAddressGuessingManyNamesIsThrottledOnlyThere) {
  LoginThrottleOptions o;
  o.address_free_failures = 10;
  LoginThrottle t(&clock_, o);
  EXPECT_TRUE(Attempt(t, "kato", "10.0.0.9", true));  // kato works here
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Attempt(t, "guess" + std::to_string(i), "10.0.0.9"));
  EXPECT_EQ(onsets_, 1u);
  // Every name from that address waits...
  EXPECT_EQ(t.Wait("ito", "10.0.0.9"), seconds(minutes(1)));
  EXPECT_FALSE(Attempt(t, "guess99", "10.0.0.9"));
  // ... except a name that has logged in from it before,
  EXPECT_EQ(t.Wait("kato", "10.0.0.9").count(), 0);
  // and nobody elsewhere.
  EXPECT_EQ(t.Wait("ito", "10.0.0.10").count(), 0);
  // The address waits longer with each failure after the limit.
  Advance(minutes(1));
  EXPECT_TRUE(Attempt(t, "guess10", "10.0.0.9"));
  EXPECT_EQ(t.Wait("ito", "10.0.0.9"), seconds(minutes(2)));
}

TEST_F(LoginThrottleTest, IPv6AddressesCountByTheirSlash64) {
  LoginThrottleOptions o;
  o.address_free_failures = 4;
  LoginThrottle t(&clock_, o);
  for (int i = 1; i <= 4; ++i) {
    EXPECT_TRUE(Attempt(t, "n" + std::to_string(i), "2001:db8:1:2::" + std::to_string(i)));
  }
  EXPECT_GT(t.Wait("x", "2001:db8:1:2:ffff::1").count(), 0);
  EXPECT_EQ(t.Wait("x", "2001:db8:1:3::1").count(), 0);
  EXPECT_EQ(LoginThrottle::AddressKey("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(LoginThrottle::AddressKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::AddressKey("127.0.0.1"), "127.0.0.1");
}

TEST_F(LoginThrottleTest, UnlockForgivesTheNamesFailuresUpToItsMoment) {
  LoginThrottle t(&clock_);
  for (int i = 0; i < 5; ++i) Attempt(t, "kaikei", "10.0.0.9");
  for (int i = 0; i < 5; ++i) Attempt(t, "kaikei", "10.0.0.5");
  for (int i = 0; i < 5; ++i) Attempt(t, "ito", "10.0.0.5");
  ASSERT_TRUE(t.ThrottledUntil("kaikei").has_value());
  EXPECT_EQ(*t.ThrottledUntil("kaikei"), clock_.Now() + minutes(1));
  const base::Time unlocked = clock_.Now();
  Advance(seconds(1));
  t.Unlock("kaikei", unlocked);
  EXPECT_EQ(t.Wait("kaikei", "10.0.0.9").count(), 0);
  EXPECT_EQ(t.Wait("kaikei", "10.0.0.5").count(), 0);
  EXPECT_FALSE(t.ThrottledUntil("kaikei").has_value());
  EXPECT_GT(t.Wait("ito", "10.0.0.5").count(), 0) << "another name stays throttled";
  // Failures after the unlock count: the same unlock read again (as a
  // server does at each throttled attempt) forgives nothing new.
  for (int i = 0; i < 5; ++i) Attempt(t, "kaikei", "10.0.0.9");
  t.Unlock("kaikei", unlocked);
  EXPECT_GT(t.Wait("kaikei", "10.0.0.9").count(), 0);
}

TEST_F(LoginThrottleTest, OnsetEventsAreBoundedSoAnAttackerCannotFloodTheLog) {
  LoginThrottleOptions o;
  o.event_burst = 3;
  o.event_interval = seconds(10);
  LoginThrottle t(&clock_, o);
  std::vector<ThrottleOnset> reported;
  // Twenty pairs reach their limit at the same moment.
  for (int n = 0; n < 20; ++n) {
    for (int i = 0; i < 5; ++i) {
      for (ThrottleOnset& onset : t.Failed("name" + std::to_string(n), "10.0.1.1")) {
        reported.push_back(std::move(onset));
      }
    }
  }
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_EQ(reported[0].scope, ThrottleOnset::Scope::kPair);
  EXPECT_EQ(reported[0].login, "name0");
  EXPECT_EQ(reported[0].address, "10.0.1.1");
  EXPECT_EQ(reported[0].failures, 5);
  EXPECT_EQ(reported[0].until, clock_.Now() + minutes(1));
  // Ten seconds later one more may be logged, counting those left out
  // (17 pairs; the address's own onset at 100 failures came too).
  Advance(seconds(10));
  auto next = t.Failed("late", "10.0.2.2");
  for (int i = 0; i < 4; ++i) next = t.Failed("late", "10.0.2.2");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].login, "late");
  EXPECT_EQ(next[0].unlogged, 17u + 1u);
}

TEST_F(LoginThrottleTest, MemoryIsBoundedWhenNamesNeverRepeat) {
  LoginThrottleOptions o;
  o.max_entries = 100;
  o.address_free_failures = 1'000'000;
  LoginThrottle t(&clock_, o);
  for (int i = 0; i < 1000; ++i) {
    t.Failed("guess" + std::to_string(i), "a");
    t.Failed(std::string(1000, 'x') + std::to_string(i), "b");  // keyed by 64 bytes
    clock_.Set(clock_.Now() + seconds(1));
  }
  EXPECT_LE(t.tracked_entries(), 4 * 100u);
  // The newest names are still counted.
  for (int i = 0; i < 4; ++i) t.Failed("guess999", "a");
  EXPECT_GT(t.Wait("guess999", "a").count(), 0);
}

}  // namespace
}  // namespace web
