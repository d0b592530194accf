#pragma once
// The two records every change of the desk's state leaves, written inside the change's
// transaction: a domain event (domain_events; PostgreSQL notifies its id on "vg_events" once the
// change commits, and live events push it) and, for a write someone asked for, an audit event.
#include <optional>
#include <string>
#include <string_view>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class DomainEvents {
  public:
    static void emit(db::Connection& db, const std::string& now, std::string_view type,
                     const std::optional<std::string>& site_id,
                     const std::optional<std::string>& agent_id,
                     const std::optional<std::string>& booth_id,
                     const std::optional<std::string>& object_id);
    // actor: who asked (an empty id: anonymous, as a login attempt); source_address: from where.
    static void audit(db::Connection& db, const std::string& now, const Principal& actor,
                      const std::string& source_address, std::string_view action,
                      std::string_view object_type, const std::string& object_id,
                      const std::string& details_json = "{}");
};

}  // namespace vg::desk
