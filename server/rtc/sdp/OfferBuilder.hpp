#pragma once
// The server's re-offer when the tracks it sends to a receiver change (JSEP 5.2.2). Data-driven:
// the previous local description plus the full list of streams the receiver should get now.
// Existing sections keep their order, mid, codecs and receiving side; a stream with a new mid
// gets a new sendonly section; a section whose stream is gone stops sending.
#include <optional>
#include <span>
#include <string>

#include "rtc/sdp/LocalParameters.hpp"
#include "rtc/sdp/OutgoingStream.hpp"
#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

class OfferBuilder {
  public:
    explicit OfferBuilder(LocalParameters local) : local_(std::move(local)) {}

    // current: our last local description for this receiver (the answer we gave, or the last
    // offer we made once it was answered). New sections take the codecs and header extensions
    // already negotiated for their kind; with none of that kind yet, Opus 111 or VP8 96 with
    // RTX 97. std::nullopt (with the reason) for a stream without mid, kind or SSRC.
    std::optional<SessionDescription> build(const SessionDescription& current,
                                            std::span<const OutgoingStream> streams,
                                            std::string* error = nullptr) const;

  private:
    LocalParameters local_;
};

}  // namespace vg::rtc::sdp
