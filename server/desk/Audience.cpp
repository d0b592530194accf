#include "desk/Audience.hpp"

namespace vg::desk {

bool Audience::admitted(const Principal& who) {
    return who.kind != Principal::Kind::ApiKey || who.roles.shares(Role::Admin | Role::Supervisor);
}

bool Audience::watches_everything(const Principal& who) {
    if (who.kind == Principal::Kind::ApiKey)
        return who.roles.shares(Role::Admin | Role::Supervisor);
    return who.kind == Principal::Kind::Agent && who.has(Role::Admin);
}

bool Audience::sees_queue(const Principal& who, const std::string& site_id) {
    if (watches_everything(who)) return true;
    return who.kind == Principal::Kind::Agent && who.covers(site_id);
}

bool Audience::oversees(const Principal& who, const std::string& site_id) {
    if (watches_everything(who)) return true;
    return who.kind == Principal::Kind::Agent && who.has(Role::Supervisor) && who.covers(site_id);
}

bool Audience::oversees_any(const Principal& who, const std::vector<std::string>& site_ids) {
    if (watches_everything(who)) return true;
    for (const auto& site_id : site_ids)
        if (oversees(who, site_id)) return true;
    return false;
}

bool Audience::is_agent(const Principal& who, const std::string& agent_id) {
    return who.kind == Principal::Kind::Agent && who.id == agent_id;
}

bool Audience::is_booth(const Principal& who, const std::string& booth_id) {
    return who.kind == Principal::Kind::Booth && who.id == booth_id;
}

}  // namespace vg::desk
