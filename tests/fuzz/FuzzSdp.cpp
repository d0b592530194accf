// SDP parsing, writing, and answering an arbitrary offer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rtc/sdp/AnswerBuilder.hpp"
#include "rtc/sdp/OfferBuilder.hpp"
#include "rtc/sdp/SessionDescription.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace vg::rtc::sdp;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto offer = SessionDescription::parse(text);
    if (!offer) {
        return 0;
    }
    (void)offer->to_string();
    LocalParameters local;
    local.ice_ufrag = "srvU";
    local.ice_pwd = "serverpassword0123456789";
    local.fingerprint_sha256 = "AA:BB";
    local.candidate_ip = "127.0.0.1";
    local.candidate_port = 40000;
    const auto answer = AnswerBuilder(local).build(*offer);
    if (!answer) {
        return 0;
    }
    // What we send a browser must parse as what we built.
    const auto reread = SessionDescription::parse(answer->to_string());
    if (!reread || reread->media.size() != answer->media.size()) {
        __builtin_trap();
    }
    OutgoingStream stream;
    stream.mid = "fuzz";
    stream.kind = "video";
    stream.ssrc = 1;
    const auto reoffer = OfferBuilder(local).build(*answer, std::span(&stream, 1));
    if (!reoffer || !SessionDescription::parse(reoffer->to_string())) {
        __builtin_trap();
    }
    return 0;
}
