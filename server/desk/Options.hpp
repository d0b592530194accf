#pragma once
// What an operator may set about the desk's rules (config file and command line, through
// app/Application), and the clock: every "now" the desk uses, in C++ and in SQL, comes from it,
// so tests can move time.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace vg::desk {

struct Options {
    // TURN for browsers whose network blocks UDP toward us: with URIs and coturn's shared secret,
    // every join answer carries credentials valid for turn_credential_ttl (TurnCredentials).
    std::vector<std::string> turn_uris;
    std::string turn_secret;
    std::chrono::seconds turn_credential_ttl{std::chrono::hours{1}};
    std::chrono::seconds enrollment_ttl{std::chrono::hours{72}};
    std::chrono::seconds agent_session_ttl{std::chrono::hours{12}};
    std::chrono::seconds offer_timeout{20};
    std::chrono::seconds join_token_ttl{120};
    std::chrono::seconds wrap_up{30};         // then the agent is available again
    std::chrono::seconds presence_grace{30};  // console silent this long -> offline
    std::chrono::minutes check_in_opens_before{30};
    std::chrono::minutes check_in_closes_after{15};  // and after that, the appointment is a no-show
    int check_in_max_failures = 5;
    std::chrono::minutes check_in_failure_window{10};
    int booking_horizon_days = 730;
    int password_iterations = 600000;
    // Housekeeping offers waiting entries to available agents by itself (push); off, agents take
    // them with claim-next (pull). Both may run together.
    bool auto_offer = false;
    // Law 25: how long personal data stays before the daily purge anonymizes it (RetentionPurge,
    // docs/privacy.md), in days from the end of what it belongs to.
    int retention_citizen_days = 90;         // citizen name, phone, e-mail, cancel reason
    int retention_notes_days = 365;          // call notes, details of appointment history
    int retention_audit_details_days = 365;  // audit rows' details (who and what stay)
    int retention_addresses_days = 90;       // client IP addresses in audit rows and logins
};

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock system_clock() {
    return [] { return std::chrono::system_clock::now(); };
}

// The clock's time in RFC 3339 with microseconds, as the SQL parameters take it.
std::string now_text(const Clock& clock);

}  // namespace vg::desk
