#pragma once
// A citizen's rights under Law 25 (issue 14 item 6), for the privacy officer (admin): what we
// hold about them (export) and its anonymization on request (erasure). A citizen has no account:
// they are found by the e-mail or the phone number given when booking (a phone matches by its
// digits, so "+1 418 555-0199" and "14185550199" are the same citizen).
#include <optional>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct CitizenKey {
    std::optional<std::string> email;
    std::optional<std::string> phone_digits;
};

struct Erasure {
    int anonymized = 0;
    int live = 0;  // booked, checked in or in a call: not erased (cancel them first)
};

class CitizenRecords {
  public:
    // {"appointments": [appointment + history, call_sessions, audit trail]} and the ids listed.
    static std::string export_json(db::Connection& db, const CitizenKey& key,
                                   std::vector<std::string>& appointment_ids);
    // Anonymizes every appointment of the citizen unless one is live (then changes nothing);
    // inside the caller's transaction, with its audit row.
    static Erasure erase(db::Connection& db, const CitizenKey& key, const std::string& now,
                         std::vector<std::string>& appointment_ids);
};

}  // namespace vg::desk
