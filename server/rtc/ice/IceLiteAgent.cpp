#include "rtc/ice/IceLiteAgent.hpp"

#include <netinet/in.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "common/Crypto.hpp"
#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/stun/MessageWriter.hpp"

namespace vg::rtc::ice {

namespace {

std::string random_ice_chars(size_t count) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(count);
    std::array<uint8_t, 64> bytes{};
    while (out.size() < count) {
        common::crypto::fill_random(bytes);
        // 64 symbols: every byte's low six bits pick one without bias.
        for (const uint8_t b : bytes) {
            if (out.size() == count) {
                break;
            }
            out.push_back(kAlphabet[b & 0x3F]);
        }
    }
    return out;
}

bool same_address(const sockaddr_storage& a, const sockaddr* b) {
    if (a.ss_family != b->sa_family) {
        return false;
    }
    if (b->sa_family == AF_INET) {
        sockaddr_in x{};
        sockaddr_in y{};
        std::memcpy(&x, &a, sizeof x);
        std::memcpy(&y, b, sizeof y);
        return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
    }
    sockaddr_in6 x{};
    sockaddr_in6 y{};
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, b, sizeof y);
    return x.sin6_port == y.sin6_port &&
           std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
}

}  // namespace

Credentials IceLiteAgent::random_credentials() {
    return Credentials{random_ice_chars(8), random_ice_chars(24)};
}

std::optional<std::string_view> IceLiteAgent::local_ufrag_of(std::span<const uint8_t> packet) {
    if (!stun::Message::looks_like_stun(packet)) {
        return std::nullopt;
    }
    size_t at = stun::kHeaderSize;
    while (packet.size() - at >= 4) {
        const uint16_t type = rtp::read16(packet.data() + at);
        const size_t length = rtp::read16(packet.data() + at + 2);
        const size_t padded = (length + 3) & ~size_t{3};
        if (packet.size() - at - 4 < padded) {
            return std::nullopt;
        }
        if (type == stun::attribute::kUsername) {
            const std::string_view username(reinterpret_cast<const char*>(packet.data() + at + 4),
                                            length);
            const size_t colon = username.find(':');
            if (colon == std::string_view::npos || colon == 0) {
                return std::nullopt;
            }
            return username.substr(0, colon);
        }
        at += 4 + padded;
    }
    return std::nullopt;
}

IceLiteAgent::IceLiteAgent() : IceLiteAgent(random_credentials()) {}

IceLiteAgent::IceLiteAgent(Credentials local) : local_(std::move(local)) {}

void IceLiteAgent::set_remote_credentials(Credentials remote) {
    remote_ = std::move(remote);
}

void IceLiteAgent::restart(Credentials local, Credentials remote, Clock::time_point now) {
    previous_ = Previous{std::move(local_), std::move(remote_), now + restart_grace};
    local_ = std::move(local);
    remote_ = std::move(remote);
}

bool IceLiteAgent::consent_expired(Clock::time_point now, Clock::duration timeout) const {
    return !lastValid_ || now - *lastValid_ > timeout;
}

IceLiteAgent::Result IceLiteAgent::drop() {
    ++dropped_;
    return Result{};
}

bool IceLiteAgent::username_matches(std::string_view username, const Credentials& local,
                                    const Credentials& remote) {
    // USERNAME of a check sent to us is "ourUfrag:theirUfrag" (RFC 8445 7.2.2).
    if (username.size() <= local.ufrag.size() || !username.starts_with(local.ufrag) ||
        username[local.ufrag.size()] != ':') {
        return false;
    }
    const auto theirs = username.substr(local.ufrag.size() + 1);
    return remote.ufrag.empty() ? !theirs.empty() : theirs == remote.ufrag;
}

IceLiteAgent::Result IceLiteAgent::handle_binding_request(std::span<const uint8_t> packet,
                                                          const sockaddr* from,
                                                          std::span<uint8_t> response,
                                                          Clock::time_point now) {
    const auto request = stun::Message::parse(packet);
    if (!request) {
        return drop();
    }
    return handle_binding_request(*request, from, response, now);
}

IceLiteAgent::Result IceLiteAgent::handle_binding_request(const stun::Message& request,
                                                          const sockaddr* from,
                                                          std::span<uint8_t> response,
                                                          Clock::time_point now) {
    if (from == nullptr || (from->sa_family != AF_INET && from->sa_family != AF_INET6) ||
        request.method() != stun::Method::Binding ||
        request.message_class() != stun::Class::Request || !request.has_fingerprint() ||
        !request.has_message_integrity() || !request.priority()) {
        return drop();
    }
    if (previous_ && now > previous_->until) {
        previous_.reset();
    }
    const auto username = request.username();
    if (!username) {
        return drop();
    }
    // Checks of the old session (before a restart) are answered with its password.
    const bool current = username_matches(*username, local_, remote_);
    if (!current &&
        !(previous_ && username_matches(*username, previous_->local, previous_->remote))) {
        return drop();
    }
    const std::string& pwd = current ? local_.pwd : previous_->local.pwd;
    if (!request.check_fingerprint() || !request.check_message_integrity(pwd)) {
        return drop();
    }
    // We are lite, hence controlled: a peer that says it is controlled too is in conflict, and
    // as the lite side we never switch (RFC 8445 7.3.1.1 with 6.1.1).
    const bool conflict = request.ice_controlled().has_value();
    stun::MessageWriter writer(response, stun::Method::Binding,
                               conflict ? stun::Class::ErrorResponse : stun::Class::SuccessResponse,
                               request.transaction_id());
    if (conflict) {
        writer.add_error_code(stun::error::kRoleConflict, "Role Conflict");
    } else {
        writer.add_xor_mapped_address(from);
    }
    writer.add_message_integrity(pwd);
    writer.add_fingerprint();
    if (!writer.ok()) {
        return drop();
    }
    Result result;
    result.response_size = writer.finish();
    if (conflict) {
        result.verdict = Verdict::RoleConflict;
        return result;
    }
    ++answered_;
    lastValid_ = now;
    result.verdict = Verdict::Answered;
    // A path nominated in the new session ends the old one.
    if (current && request.use_candidate()) {
        previous_.reset();
    }
    if (request.use_candidate() && (!selected_ || !same_address(*selected_, from))) {
        sockaddr_storage storage{};
        std::memcpy(&storage, from,
                    from->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        selected_ = storage;
        result.nominated = true;
    }
    return result;
}

}  // namespace vg::rtc::ice
