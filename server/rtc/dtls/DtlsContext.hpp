#pragma once
// The OpenSSL DTLS context every transport of a process shares: our certificate, DTLS 1.2 only,
// the SRTP profiles we accept (GCM first: as DTLS server we choose, and GCM is far cheaper).
#include <memory>

#include "rtc/dtls/DtlsCertificate.hpp"

using SSL_CTX = struct ssl_ctx_st;

namespace vg::rtc::dtls {

class DtlsContext {
  public:
    // Throws std::runtime_error if OpenSSL refuses the configuration.
    explicit DtlsContext(std::shared_ptr<const DtlsCertificate> certificate);
    ~DtlsContext();
    DtlsContext(const DtlsContext&) = delete;
    DtlsContext& operator=(const DtlsContext&) = delete;

    SSL_CTX* native() const { return context_; }
    const DtlsCertificate& certificate() const { return *certificate_; }

  private:
    std::shared_ptr<const DtlsCertificate> certificate_;
    SSL_CTX* context_ = nullptr;  // Allocated by this.
};

}  // namespace vg::rtc::dtls
