#pragma once
// Our answer to a browser's offer (JSEP 5.3): one BUNDLE transport with rtcp-mux, ICE-lite with
// our candidate, DTLS passive, and per section the codecs, header extensions and feedback both
// sides support. A section we cannot take is rejected (port 0) and left out of BUNDLE.
#include <optional>
#include <span>
#include <string>

#include "rtc/sdp/LocalParameters.hpp"
#include "rtc/sdp/OutgoingStream.hpp"
#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

class AnswerBuilder {
  public:
    static constexpr uint32_t kMaxMessageSize = 262144;

    explicit AnswerBuilder(LocalParameters local) : local_(std::move(local)) {}

    // streams: what the server already sends on offered sections (matched by mid); a section
    // offered sendrecv is answered sendrecv with a stream, recvonly without one.
    // std::nullopt (with the reason) when nothing in the offer can be answered: no ICE
    // credentials, no sha-256 fingerprint, or no section we can take.
    std::optional<SessionDescription> build(const SessionDescription& offer,
                                            std::span<const OutgoingStream> streams = {},
                                            std::string* error = nullptr) const;

  private:
    LocalParameters local_;
};

}  // namespace vg::rtc::sdp
