#pragma once
// The one place libsrtp2 is initialized. libsrtp2 keeps global state (crypto kernel, debug
// modules) that srtp_init sets up and that must exist before any session is made.

namespace vg::rtc::srtp {

class SrtpLibrary {
  public:
    // Initializes libsrtp2 once per process; thread-safe, cheap after the first call. Throws
    // std::runtime_error if libsrtp2 refuses to start. Never shut down: sessions may outlive
    // any owner we could pick, and the process exit frees it.
    static void ensure_initialized();
};

}  // namespace vg::rtc::srtp
