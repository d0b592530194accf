#pragma once
#include <string>

namespace vg::test {

// The libpq URI of the throwaway PostgreSQL cluster that scripts/test.sh starts (a superuser
// connection to its "postgres" database), from VISIOGUICHET_TEST_DATABASE_URL. Fails the calling
// test when it is not set: a test that needs PostgreSQL never passes without one.
std::string admin_database_url();

// The source tree (migrations/, web/, proto/).
std::string source_dir();

}  // namespace vg::test
