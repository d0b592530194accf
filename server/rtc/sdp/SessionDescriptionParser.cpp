#include "rtc/sdp/SessionDescriptionParser.hpp"

#include <algorithm>
#include <cctype>

#include "rtc/sdp/Number.hpp"

namespace vg::rtc::sdp {

namespace {

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    size_t at = 0;
    while (at < text.size()) {
        const size_t start = text.find_first_not_of(' ', at);
        if (start == std::string_view::npos) {
            break;
        }
        const size_t end = std::min(text.find(' ', start), text.size());
        out.push_back(text.substr(start, end - start));
        at = end;
    }
    return out;
}

// "head rest of it" -> {"head", "rest of it"}.
std::pair<std::string_view, std::string_view> first_word(std::string_view text) {
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) {
        return {text, {}};
    }
    return {text.substr(0, space), text.substr(space + 1)};
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::optional<Setup> setup_from(std::string_view text) {
    if (text == "actpass") {
        return Setup::ActPass;
    }
    if (text == "active") {
        return Setup::Active;
    }
    if (text == "passive") {
        return Setup::Passive;
    }
    return std::nullopt;
}

// The codec of payload type pt, added (in order of first mention) when new.
Codec& codec_for(MediaSection& section, uint8_t pt) {
    for (auto& codec : section.codecs) {
        if (codec.payload_type == pt) {
            return codec;
        }
    }
    Codec codec;
    codec.payload_type = pt;
    section.codecs.push_back(std::move(codec));
    return section.codecs.back();
}

SsrcInfo& ssrc_for(MediaSection& section, uint32_t ssrc) {
    for (auto& info : section.ssrcs) {
        if (info.ssrc == ssrc) {
            return info;
        }
    }
    SsrcInfo info;
    info.ssrc = ssrc;
    section.ssrcs.push_back(std::move(info));
    return section.ssrcs.back();
}

class Parser {
  public:
    std::optional<SessionDescription> run(std::string_view text, std::string& error) {
        if (text.size() > SessionDescription::kMaxSize) {
            error = "session description too large";
            return std::nullopt;
        }
        bool first = true;
        size_t at = 0;
        while (at < text.size()) {
            size_t end = text.find('\n', at);
            if (end == std::string_view::npos) {
                end = text.size();
            }
            std::string_view line = text.substr(at, end - at);
            at = end + 1;
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            if (line.empty()) {
                continue;
            }
            if (line.size() < 2 || line[1] != '=') {
                error = "malformed line: " + std::string(line.substr(0, 40));
                return std::nullopt;
            }
            if (first && line != "v=0") {
                error = "does not start with v=0";
                return std::nullopt;
            }
            first = false;
            if (!handle_line(line[0], line.substr(2), error)) {
                if (error.empty()) {
                    error = "bad line: " + std::string(line.substr(0, 60));
                }
                return std::nullopt;
            }
        }
        if (first) {
            error = "empty session description";
            return std::nullopt;
        }
        for (auto& section : sd_.media) {
            finish(section);
        }
        share_bundle_transport();
        return std::move(sd_);
    }

  private:
    bool handle_line(char type, std::string_view value, std::string& error) {
        switch (type) {
            case 'o': {
                const auto w = words(value);
                if (w.size() >= 3) {
                    sd_.session_id = number<uint64_t>(w[1]).value_or(0);
                    sd_.session_version = number<uint64_t>(w[2]).value_or(0);
                }
                return true;
            }
            case 'm': {
                if (sd_.media.size() == SessionDescription::kMaxMediaSections) {
                    error = "too many media sections";
                    return false;
                }
                const auto w = words(value);
                if (w.size() < 4) {
                    return false;
                }
                MediaSection section;
                section.kind = std::string(w[0]);
                const auto port = number<uint16_t>(w[1].substr(0, w[1].find('/')));
                if (!port) {
                    return false;
                }
                section.port = *port;
                section.protocol = std::string(w[2]);
                for (size_t i = 3; i < w.size(); ++i) {
                    section.formats.emplace_back(w[i]);
                }
                sd_.media.push_back(std::move(section));
                wildcardFeedback_.emplace_back();
                return true;
            }
            case 'c':
                if (!sd_.media.empty()) {
                    sd_.media.back().connection = std::string(value);
                }
                return true;
            case 'a':
                return attribute(value);
            default:
                return true;
        }
    }

    bool attribute(std::string_view text) {
        const size_t colon = text.find(':');
        const std::string_view name = text.substr(0, colon);
        const std::string_view value =
            colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
        MediaSection* m = sd_.media.empty() ? nullptr : &sd_.media.back();
        if (name == "ice-ufrag") {
            (m != nullptr ? m->ice_ufrag : sd_.ice_ufrag) = std::string(value);
        } else if (name == "ice-pwd") {
            (m != nullptr ? m->ice_pwd : sd_.ice_pwd) = std::string(value);
        } else if (name == "fingerprint") {
            const auto [algorithm, fingerprint] = first_word(value);
            if (fingerprint.empty()) {
                return false;
            }
            auto& stored_algorithm =
                m != nullptr ? m->fingerprint_algorithm : sd_.fingerprint_algorithm;
            // With several fingerprints, keep the sha-256 one: that is the one we verify.
            if (stored_algorithm != "sha-256") {
                stored_algorithm = lower(algorithm);
                (m != nullptr ? m->fingerprint : sd_.fingerprint) = upper(fingerprint);
            }
        } else if (name == "setup") {
            const auto setup = setup_from(value);
            if (!setup) {
                return false;
            }
            (m != nullptr ? m->setup : sd_.setup) = *setup;
        } else if (name == "ice-lite") {
            sd_.ice_lite = true;
        } else if (name == "group") {
            const auto w = words(value);
            if (!w.empty() && w[0] == "BUNDLE") {
                sd_.bundle.assign(w.begin() + 1, w.end());
            }
        } else if (m != nullptr) {
            return media_attribute(*m, name, value);
        }
        return true;
    }

    bool media_attribute(MediaSection& m, std::string_view name, std::string_view value) {
        if (name == "mid") {
            m.mid = std::string(value);
        } else if (name == "sendrecv") {
            m.direction = Direction::SendRecv;
        } else if (name == "sendonly") {
            m.direction = Direction::SendOnly;
        } else if (name == "recvonly") {
            m.direction = Direction::RecvOnly;
        } else if (name == "inactive") {
            m.direction = Direction::Inactive;
        } else if (name == "rtcp-mux") {
            m.rtcp_mux = true;
        } else if (name == "rtcp-rsize") {
            m.rtcp_reduced_size = true;
        } else if (name == "rtpmap") {
            const auto [ptText, encoding] = first_word(value);
            const auto pt = number<uint8_t>(ptText);
            if (!pt || *pt > 127 || encoding.empty()) {
                return false;
            }
            const size_t slash = encoding.find('/');
            if (slash == std::string_view::npos) {
                return false;
            }
            auto& codec = codec_for(m, *pt);
            codec.name = std::string(encoding.substr(0, slash));
            const auto rest = encoding.substr(slash + 1);
            const size_t slash2 = rest.find('/');
            const auto clock = number<uint32_t>(rest.substr(0, slash2));
            if (!clock) {
                return false;
            }
            codec.clock_rate = *clock;
            if (slash2 != std::string_view::npos) {
                const auto channels = number<uint8_t>(rest.substr(slash2 + 1));
                if (!channels) {
                    return false;
                }
                codec.channels = *channels;
            }
        } else if (name == "fmtp") {
            const auto [ptText, parameters] = first_word(value);
            const auto pt = number<uint8_t>(ptText);
            if (!pt || *pt > 127) {
                return false;
            }
            codec_for(m, *pt).fmtp = std::string(parameters);
        } else if (name == "rtcp-fb") {
            const auto [ptText, feedback] = first_word(value);
            if (feedback.empty()) {
                return false;
            }
            if (ptText == "*") {
                wildcardFeedback_.back().emplace_back(feedback);
                return true;
            }
            const auto pt = number<uint8_t>(ptText);
            if (!pt || *pt > 127) {
                return false;
            }
            codec_for(m, *pt).feedback.emplace_back(feedback);
        } else if (name == "extmap") {
            const auto w = words(value);
            if (w.size() < 2) {
                return false;
            }
            const auto id = number<uint8_t>(w[0].substr(0, w[0].find('/')));
            if (!id || *id == 0) {
                return false;
            }
            m.extensions.push_back(HeaderExtension{*id, std::string(w[1])});
        } else if (name == "ssrc") {
            const auto [ssrcText, rest] = first_word(value);
            const auto ssrc = number<uint32_t>(ssrcText);
            if (!ssrc) {
                return false;
            }
            auto& info = ssrc_for(m, *ssrc);
            const size_t colon = rest.find(':');
            const auto attribute_name = rest.substr(0, colon);
            const auto attribute_value =
                colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
            if (attribute_name == "cname") {
                info.cname = std::string(attribute_value);
            } else if (attribute_name == "msid") {
                info.msid = std::string(attribute_value);
            }
        } else if (name == "ssrc-group") {
            const auto w = words(value);
            if (w.empty()) {
                return false;
            }
            SsrcGroup group{std::string(w[0]), {}};
            for (size_t i = 1; i < w.size(); ++i) {
                const auto ssrc = number<uint32_t>(w[i]);
                if (!ssrc) {
                    return false;
                }
                group.ssrcs.push_back(*ssrc);
            }
            m.ssrc_groups.push_back(std::move(group));
        } else if (name == "msid") {
            m.msid = std::string(value);
        } else if (name == "sctp-port") {
            const auto port = number<uint16_t>(value);
            if (!port) {
                return false;
            }
            m.sctp_port = *port;
        } else if (name == "max-message-size") {
            const auto size = number<uint32_t>(value);
            if (!size) {
                return false;
            }
            m.max_message_size = *size;
        } else if (name == "candidate") {
            m.candidates.emplace_back(value);
        } else if (name == "end-of-candidates") {
            m.end_of_candidates = true;
        } else if (name == "bundle-only") {
            m.bundle_only = true;
        }
        return true;
    }

    // A section inside the BUNDLE group may leave out the transport attributes (RFC 8843 7.2:
    // a bundle-only one has none): it shares those of the group's tag, the first mid listed.
    void share_bundle_transport() {
        if (sd_.bundle.empty()) {
            return;
        }
        const auto tag = std::find_if(sd_.media.begin(), sd_.media.end(),
                                      [&](const auto& m) { return m.mid == sd_.bundle.front(); });
        if (tag == sd_.media.end()) {
            return;
        }
        for (auto& m : sd_.media) {
            if (std::find(sd_.bundle.begin(), sd_.bundle.end(), m.mid) == sd_.bundle.end()) {
                continue;
            }
            if (m.ice_ufrag.empty() && m.ice_pwd.empty()) {
                m.ice_ufrag = tag->ice_ufrag;
                m.ice_pwd = tag->ice_pwd;
            }
            if (m.fingerprint.empty()) {
                m.fingerprint_algorithm = tag->fingerprint_algorithm;
                m.fingerprint = tag->fingerprint;
            }
            if (m.setup == Setup::None) {
                m.setup = tag->setup;
            }
        }
    }

    void finish(MediaSection& m) {
        const size_t index = static_cast<size_t>(&m - sd_.media.data());
        if (m.ice_ufrag.empty()) {
            m.ice_ufrag = sd_.ice_ufrag;
        }
        if (m.ice_pwd.empty()) {
            m.ice_pwd = sd_.ice_pwd;
        }
        if (m.fingerprint.empty()) {
            m.fingerprint_algorithm = sd_.fingerprint_algorithm;
            m.fingerprint = sd_.fingerprint;
        }
        if (m.setup == Setup::None) {
            m.setup = sd_.setup;
        }
        // Codecs in the m-line's order (its order is the offerer's preference); codecs the
        // m-line does not list are not offered.
        std::vector<Codec> ordered;
        for (const auto& format : m.formats) {
            const auto pt = number<uint8_t>(format);
            if (!pt) {
                continue;
            }
            for (auto& codec : m.codecs) {
                if (codec.payload_type == *pt && !codec.name.empty()) {
                    for (const auto& feedback : wildcardFeedback_[index]) {
                        codec.feedback.push_back(feedback);
                    }
                    ordered.push_back(std::move(codec));
                    break;
                }
            }
        }
        m.codecs = std::move(ordered);
    }

    SessionDescription sd_;
    std::vector<std::vector<std::string>> wildcardFeedback_;  // per media section
};

}  // namespace

std::optional<SessionDescription> SessionDescriptionParser::parse(std::string_view text,
                                                                  std::string& error) {
    return Parser().run(text, error);
}

}  // namespace vg::rtc::sdp
