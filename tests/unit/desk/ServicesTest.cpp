// desk::Services on the real database: an administrator makes a service; its code is unique.
#include "desk/Services.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

using ServicesTest = DeskTest;

TEST_F(ServicesTest, AServiceCodeIsTakenOnceAndARefusedOneLeavesNoTrace) {
    desk::Principal admin{desk::Principal::Kind::ApiKey, "k", desk::Role::Admin, {}, {}};
    auto made = desk::Services::create(*db_, kNow, admin, "192.0.2.1",
                                       {"PERMIS", "Permis", "Licence", 30, false});
    ASSERT_TRUE(made);
    EXPECT_EQ(desk::Services::view_json(*db_, made->id), made->json);
    EXPECT_FALSE(desk::Services::create(*db_, kNow, admin, "192.0.2.1",
                                        {"PERMIS", "Autre", "Other", 20, true}));
    EXPECT_EQ(value("SELECT count(*) FROM services WHERE code = 'PERMIS'"), "1");
    EXPECT_EQ(value("SELECT count(*) FROM audit_events WHERE action = 'service.create'"), "1");
    EXPECT_FALSE(desk::Services::view_json(*db_, site_));

    auto listed = desk::Services::list(*db_, std::nullopt, 10);
    EXPECT_EQ(listed.rows(), 2);  // the fixture's and this one
}

}  // namespace vg::test
