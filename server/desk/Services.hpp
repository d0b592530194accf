#pragma once
// The services a citizen can book or walk in for, as administrators make them and everyone reads
// them (vg_service_json). Inputs arrive checked.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "db/Result.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct NewService {
    std::string code, name_fr, name_en;
    int duration_minutes = 0;
    bool walk_in_allowed = false;
};

struct CreatedService {
    std::string id;
    std::string json;  // vg_service_json
};

class Services {
  public:
    // Audited; nullopt (and nothing written) when a service has this code already.
    static std::optional<CreatedService> create(db::Connection& db, const std::string& now,
                                                const Principal& actor, const std::string& address,
                                                const NewService& service);
    // vg_service_json of the service; nullopt when there is none.
    static std::optional<std::string> view_json(db::Connection& db, const std::string& id);
    // Rows (vg_service_json text, id) of the services after after_id in id order, at most limit.
    static db::Result list(db::Connection& db, const std::optional<std::string>& after_id,
                           int limit);
};

}  // namespace vg::desk
