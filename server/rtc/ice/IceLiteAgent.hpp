#pragma once
// The ICE-lite side of one transport (RFC 8445 section 2.5): we never send checks, we answer the
// browser's binding requests and follow its nomination. Always in the controlled role. No
// allocation or exception on the packet path.
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtc/stun/Message.hpp"

namespace vg::rtc::ice {

struct Credentials {
    std::string ufrag;
    std::string pwd;
};

class IceLiteAgent {
  public:
    using Clock = std::chrono::steady_clock;

    enum class Verdict {
        Answered,      // success response written
        RoleConflict,  // 487 error response written: the peer is controlled too
        Dropped,       // failed a check, counted, nothing to send
    };
    struct Result {
        Verdict verdict = Verdict::Dropped;
        size_t response_size = 0;  // bytes written into the response buffer
        bool nominated = false;    // the request's source became the selected path
    };

    // Fresh random local credentials: 8-character ufrag and 24-character pwd of ice-chars
    // (RFC 8445 requires at least 4 and 22).
    static Credentials random_credentials();

    // The local ufrag named by a binding request's USERNAME ("local:remote"), read without
    // full validation so the worker can route a datagram to its transport; the view points into
    // packet. std::nullopt for anything that is not a STUN message with a USERNAME.
    static std::optional<std::string_view> local_ufrag_of(std::span<const uint8_t> packet);

    IceLiteAgent();
    explicit IceLiteAgent(Credentials local);

    const Credentials& local_credentials() const { return local_; }
    // From the peer's SDP (media or session level a=ice-ufrag / a=ice-pwd).
    void set_remote_credentials(Credentials remote);
    // An ICE restart (RFC 8445 section 9): both sides' credentials change. The browser keeps
    // checking its old path with the old ones until it nominates a new path, so those stay
    // valid until a nomination with the new ones, or for restart_grace at most; the selected
    // path and consent carry on meanwhile.
    static constexpr auto restart_grace = std::chrono::seconds(30);
    void restart(Credentials local, Credentials remote, Clock::time_point now);
    // The local ufrag still accepted from before the last restart ("" when none).
    std::string_view previous_local_ufrag() const {
        return previous_ ? std::string_view(previous_->local.ufrag) : std::string_view();
    }

    // Checks one binding request from the address from and writes the answer into response.
    Result handle_binding_request(const stun::Message& request, const sockaddr* from,
                                  std::span<uint8_t> response, Clock::time_point now);
    Result handle_binding_request(std::span<const uint8_t> packet, const sockaddr* from,
                                  std::span<uint8_t> response, Clock::time_point now);

    // The path the peer nominated with USE-CANDIDATE (the last one if it moved).
    const std::optional<sockaddr_storage>& selected_address() const { return selected_; }
    // Consent freshness (RFC 7675): the time of the last request that passed every check.
    std::optional<Clock::time_point> last_valid_request() const { return lastValid_; }
    bool consent_expired(Clock::time_point now,
                         Clock::duration timeout = std::chrono::seconds(30)) const;
    uint64_t dropped_requests() const { return dropped_; }
    uint64_t answered_requests() const { return answered_; }

  private:
    Result drop();
    static bool username_matches(std::string_view username, const Credentials& local,
                                 const Credentials& remote);

    Credentials local_;
    Credentials remote_;
    struct Previous {
        Credentials local;
        Credentials remote;
        Clock::time_point until;
    };
    std::optional<Previous> previous_;
    std::optional<sockaddr_storage> selected_;
    std::optional<Clock::time_point> lastValid_;
    uint64_t dropped_ = 0;
    uint64_t answered_ = 0;
};

}  // namespace vg::rtc::ice
