// messaging::Templates: the shipped templates fill in, values are escaped in HTML, a typo in a
// template is an error rather than a message with a hole.
#include <gtest/gtest.h>

#include "messaging/Templates.hpp"

namespace vg::test {

using messaging::Templates;

namespace {

Templates::Values sample() {
    return {{"citizen_name", "Camille <Gagnon>"},
            {"code", "AB12CD"},
            {"date", "lundi 14 décembre 2026"},
            {"time", "9 h 30"},
            {"short_date", "lun. 14 déc."},
            {"site_name", "Nicolet"},
            {"site_address", "180, rue Notre-Dame"},
            {"site_place", "Nicolet, 180, rue Notre-Dame"},
            {"service_name", "Aide à l’emploi"},
            {"visit_url", "http://127.0.0.1:8080/visit/#abc"},
            {"old_date", ""},
            {"old_time", ""},
            {"reason", ""}};
}

}  // namespace

TEST(TemplatesTest, ShippedConfirmationHasCodeTimePlaceAndLinkInBothLanguages) {
    Templates templates(VG_SOURCE_DIR "/messages");
    for (const char* language : {"fr", "en"}) {
        auto words = templates.render("confirmation", language, sample());
        EXPECT_EQ(words.language, language);
        EXPECT_NE(words.subject.find("9 h 30"), std::string::npos);
        for (const auto* part : {&words.text, &words.html}) {
            EXPECT_NE(part->find("AB12CD"), std::string::npos);
            EXPECT_NE(part->find("lundi 14 décembre 2026"), std::string::npos);
            EXPECT_NE(part->find("180, rue Notre-Dame"), std::string::npos);
            EXPECT_NE(part->find("http://127.0.0.1:8080/visit/#abc"), std::string::npos);
        }
        EXPECT_NE(words.html.find("Camille &lt;Gagnon&gt;"), std::string::npos);
        EXPECT_NE(words.text.find("Camille <Gagnon>"), std::string::npos);
    }
    for (const char* language : {"fr", "en"}) {
        for (const char* kind : {"confirmation", "reminder", "moved", "cancelled"}) {
            EXPECT_NO_THROW(templates.render(kind, language, sample())) << language << kind;
            EXPECT_NO_THROW(templates.render_sms(kind, language, sample())) << language << kind;
        }
    }
}

TEST(TemplatesTest, UnknownLanguageIsWrittenInFrench) {
    Templates templates(VG_SOURCE_DIR "/messages");
    EXPECT_EQ(templates.render("confirmation", "es", sample()).language, "fr");
}

TEST(TemplatesTest, UnknownValueOrUnclosedBraceIsAnErrorNamingTheFile) {
    EXPECT_THROW(Templates::fill("{{nom}}", sample(), false, "f.txt"), std::runtime_error);
    EXPECT_THROW(Templates::fill("{{code", sample(), false, "f.txt"), std::runtime_error);
    try {
        Templates::fill("Code {{cde}}", sample(), false, "fr/confirmation.txt");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("fr/confirmation.txt"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("cde"), std::string::npos);
    }
}

}  // namespace vg::test
