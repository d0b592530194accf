#include "rtc/sdp/SessionDescription.hpp"

#include "rtc/sdp/Number.hpp"
#include "rtc/sdp/SessionDescriptionParser.hpp"
#include "rtc/sdp/SessionDescriptionWriter.hpp"

namespace vg::rtc::sdp {

std::string_view to_string(Direction direction) {
    switch (direction) {
        case Direction::SendRecv:
            return "sendrecv";
        case Direction::SendOnly:
            return "sendonly";
        case Direction::RecvOnly:
            return "recvonly";
        case Direction::Inactive:
            return "inactive";
    }
    return "inactive";
}

std::string_view to_string(Setup setup) {
    switch (setup) {
        case Setup::ActPass:
            return "actpass";
        case Setup::Active:
            return "active";
        case Setup::Passive:
            return "passive";
        case Setup::None:
            return "";
    }
    return "";
}

std::optional<std::string_view> Codec::parameter(std::string_view key) const {
    std::string_view rest = fmtp;
    while (!rest.empty()) {
        const size_t semicolon = rest.find(';');
        std::string_view item = rest.substr(0, semicolon);
        rest =
            semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        const size_t equals = item.find('=');
        if (item.substr(0, equals) == key) {
            return equals == std::string_view::npos ? std::string_view{} : item.substr(equals + 1);
        }
    }
    return std::nullopt;
}

std::optional<uint8_t> Codec::associated_payload_type() const {
    const auto apt = parameter("apt");
    if (!apt) {
        return std::nullopt;
    }
    const auto pt = number<uint8_t>(*apt);
    if (!pt || *pt > 127) {
        return std::nullopt;
    }
    return pt;
}

const Codec* MediaSection::codec(uint8_t payload_type) const {
    for (const auto& c : codecs) {
        if (c.payload_type == payload_type) {
            return &c;
        }
    }
    return nullptr;
}

const HeaderExtension* MediaSection::extension(std::string_view uri) const {
    for (const auto& e : extensions) {
        if (e.uri == uri) {
            return &e;
        }
    }
    return nullptr;
}

const MediaSection* SessionDescription::section(std::string_view mid) const {
    for (const auto& m : media) {
        if (m.mid == mid) {
            return &m;
        }
    }
    return nullptr;
}

std::optional<SessionDescription> SessionDescription::parse(std::string_view text,
                                                            std::string* error) {
    std::string reason;
    auto result = SessionDescriptionParser::parse(text, reason);
    if (!result && error != nullptr) {
        *error = reason;
    }
    return result;
}

std::string SessionDescription::to_string() const {
    return SessionDescriptionWriter::write(*this);
}

}  // namespace vg::rtc::sdp
