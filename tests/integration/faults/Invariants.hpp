#pragma once
// What must hold in the database whatever happened to the server or to PostgreSQL: no appointment
// without its history, no queue entry, call session, appointment or agent presence in a state the
// others contradict. Read straight from the tables, not through the API under test.
#include <string>
#include <vector>

namespace vg::test::faults {

// One line per broken rule (with the rows that break it); empty when all hold.
std::vector<std::string> inconsistencies(const std::string& database_url);

}  // namespace vg::test::faults
