#include "support/Environment.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace vg::test {

std::string admin_database_url() {
    const char* url = std::getenv("VISIOGUICHET_TEST_DATABASE_URL");
    if (url == nullptr || *url == '\0') {
        ADD_FAILURE() << "VISIOGUICHET_TEST_DATABASE_URL is not set: run the tests through "
                         "scripts/test.sh, which starts a throwaway PostgreSQL";
        return {};
    }
    return url;
}

std::string source_dir() {
    return VG_SOURCE_DIR;
}

}  // namespace vg::test
