// messaging::VisitLink: the personal link names one appointment, until it expires, and cannot be
// forged or altered.
#include <gtest/gtest.h>

#include "messaging/VisitLink.hpp"

namespace vg::test {

namespace {

domain::Instant at(std::string_view text) {
    return *domain::TimeFormat::parse_instant(text);
}
const std::string kKey(64, 'k');
const std::string kAppointment = "4b1c9a6e-0d2f-4f7a-9c1e-2a3b4c5d6e7f";

}  // namespace

TEST(VisitLinkTest, TokenNamesItsAppointmentUntilItExpires) {
    messaging::VisitLink link(kKey);
    auto token = link.token(kAppointment, at("2026-12-21T15:00:00Z"));
    EXPECT_EQ(token.size(), 48u);
    EXPECT_EQ(link.appointment(token, at("2026-12-21T14:59:59Z")), kAppointment);
    EXPECT_EQ(link.appointment(token, at("2026-12-21T15:00:00Z")), std::nullopt);
}

TEST(VisitLinkTest, AlteredForgedOrMalformedTokensNameNothing) {
    messaging::VisitLink link(kKey);
    auto now = at("2026-12-10T00:00:00Z");
    auto token = link.token(kAppointment, at("2026-12-21T15:00:00Z"));
    for (std::size_t i = 0; i < token.size(); ++i) {
        auto altered = token;
        altered[i] = altered[i] == 'A' ? 'B' : 'A';
        EXPECT_EQ(link.appointment(altered, now), std::nullopt) << "byte " << i;
    }
    messaging::VisitLink other(std::string(64, 'o'));
    EXPECT_EQ(other.appointment(token, now), std::nullopt);
    EXPECT_EQ(link.appointment("", now), std::nullopt);
    EXPECT_EQ(link.appointment(token + "A", now), std::nullopt);
    EXPECT_EQ(link.appointment(std::string(48, '!'), now), std::nullopt);
}

}  // namespace vg::test
