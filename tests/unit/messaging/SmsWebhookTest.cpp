// messaging::SmsWebhook: the signature an adapter checks (RFC 4231 test case 2 as the vector).
#include <gtest/gtest.h>

#include "messaging/SmsWebhook.hpp"

namespace vg::test {

TEST(SmsWebhookTest, SignatureIsHexHmacSha256OfTheBody) {
    EXPECT_EQ(messaging::SmsWebhook::signature("Jefe", "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace vg::test
