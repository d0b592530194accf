#include "rtc/srtp/SrtpLibrary.hpp"

#include <srtp2/srtp.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace vg::rtc::srtp {

void SrtpLibrary::ensure_initialized() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const auto status = srtp_init(); status != srtp_err_status_ok)
            throw std::runtime_error("srtp_init failed: " + std::to_string(status));
    });
}

}  // namespace vg::rtc::srtp
