#include "desk/Principal.hpp"

namespace vg::desk {

std::optional<Role> Roles::parse(std::string_view name) {
    if (name == "admin") return Role::Admin;
    if (name == "scheduler") return Role::Scheduler;
    if (name == "supervisor") return Role::Supervisor;
    if (name == "agent") return Role::Agent;
    if (name == "booth") return Role::Booth;
    return std::nullopt;
}

}  // namespace vg::desk
