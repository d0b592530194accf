#pragma once
// Who sees how much of a citizen (issue 14 item 5). Admin, scheduler and supervisor keep the
// contract's view; an agent with none of those roles (a "plain agent") sees a citizen's phone,
// e-mail and check-in code only while serving that citizen (SQL vg_appointment_seen_by, in
// migrations/0007_privacy.sql). Every read of citizen data leaves an audit row: who, which
// appointment, when, from which client address, through which route.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class LeastData {
  public:
    // The agent id to pass to vg_appointment_seen_by: the principal's when it is a plain agent,
    // nullopt (SQL NULL: everything) otherwise.
    static std::optional<std::string> plain_agent(const Principal& principal);
    // One audit row "citizen.read" per appointment, in one statement.
    static void audit_reads(db::Connection& db, const std::string& now, const Principal& reader,
                            const std::string& client_address, std::string_view route,
                            const std::vector<std::string>& appointment_ids);
};

}  // namespace vg::desk
