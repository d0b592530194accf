#pragma once
// Agent login, without the password hashing (PasswordHasher's threads do that between the two
// steps): begin() throttles and reads the stored hash, succeed() or fail() records the outcome.
//
// Guessing is slowed per client address and per e-mail address, never by locking the account:
//  - an address with 5 failed logins in 15 minutes waits 1 s after its last failure, then 2, 4,
//    ... up to 5 minutes, whatever e-mail it tries;
//  - an e-mail with 10 failures in 15 minutes (from anywhere) makes each address that failed on
//    it wait 1, 2, 4, ... up to 60 s before its next try there; an address that has not failed
//    on it (the owner on a new client) is let through.
// Both counters are keyed by what the client sent, known e-mail or not, so a 429 says nothing
// about which accounts exist. An attempt counts as a failure from begin() until succeed(), and
// begin() takes the two keys' advisory locks, so concurrent guesses cannot pass the counters.
#include <chrono>
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct LoginAttempt {
    std::optional<std::chrono::seconds> retry_after;  // set: throttled, nothing else is set
    std::string attempt_id;
    std::optional<std::string> agent_id;  // nullopt: no active agent has this e-mail
    std::string stored_hash;              // the agent's password hash when agent_id is set
};

struct AgentSession {
    std::string token;  // shown once
    std::string session_id;
    std::string expires_at;
    std::string agent_json;
};

class AgentLogins {
  public:
    static LoginAttempt begin(db::Connection& db, const std::string& now, const std::string& email,
                              const std::string& address);
    // A wrong password (or an unknown e-mail): the attempt stays a failure; audited.
    static void fail(db::Connection& db, const std::string& now, const LoginAttempt& attempt,
                     const std::string& address);
    // The right password, for another purpose than a login (a password change): the attempt
    // no longer counts as a failure.
    static void settle(db::Connection& db, const LoginAttempt& attempt);
    // The agent's login session ends (agent.session_id) and, with it, their console.
    static void logout(db::Connection& db, const std::string& now, const Principal& agent,
                       const std::string& address);
    // The right password: a new login session of ttl (its token hashed at rest), the attempt
    // settled, and the stored hash replaced by new_hash when the login upgraded it.
    static AgentSession succeed(db::Connection& db, const std::string& now,
                                const LoginAttempt& attempt, const std::string& address,
                                std::chrono::seconds ttl,
                                const std::optional<std::string>& new_hash);
};

}  // namespace vg::desk
