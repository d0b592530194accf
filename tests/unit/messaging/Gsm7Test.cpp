// messaging::Gsm7: SMS text that fits the GSM alphabet, so 160 characters fit one message.
#include <gtest/gtest.h>

#include "messaging/Gsm7.hpp"

namespace vg::test {

using messaging::Gsm7;

TEST(Gsm7Test, FrenchKeepsTheLettersTheAlphabetHasAndFoldsTheOthers) {
    EXPECT_EQ(Gsm7::fold("Gérer à Bécancour, où ?"), "Gérer à Bécancour, où ?");
    EXPECT_EQ(Gsm7::fold("Fête de l’Île — « Noël » ça"), "Fete de l'Ile - \" Noel \" ca");
    EXPECT_EQ(Gsm7::septets("Gérer"), 5);
    EXPECT_EQ(Gsm7::septets("a€"), 3);  // the euro sign is in the extension table
    EXPECT_EQ(Gsm7::septets("ê"), -1);
    EXPECT_EQ(Gsm7::fold("日本"), "??");
    EXPECT_GT(Gsm7::septets(Gsm7::fold("Œuvre «à» ‘x’ naïve…")), 0);
}

}  // namespace vg::test
