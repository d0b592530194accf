#pragma once
// Our DTLS identity: an ECDSA P-256 key and a self-signed certificate made at start, and the
// SHA-256 fingerprint we announce in SDP (a=fingerprint:sha-256 AB:CD:...).
#include <memory>
#include <string>

using EVP_PKEY = struct evp_pkey_st;
using X509 = struct x509_st;

namespace vg::rtc::dtls {

class DtlsCertificate {
  public:
    // Makes a fresh key and a certificate valid for 30 days (browsers ignore validity for
    // WebRTC, only the fingerprint counts). Throws std::runtime_error if OpenSSL fails.
    DtlsCertificate();
    ~DtlsCertificate();
    DtlsCertificate(const DtlsCertificate&) = delete;
    DtlsCertificate& operator=(const DtlsCertificate&) = delete;

    // "AB:CD:..." (upper-case hex, 32 bytes).
    const std::string& fingerprint() const { return fingerprint_; }

    EVP_PKEY* key() const { return key_; }
    X509* certificate() const { return certificate_; }

    // The SHA-256 fingerprint of any certificate, in the same form; empty on failure.
    static std::string fingerprint_of(X509* certificate);

  private:
    EVP_PKEY* key_ = nullptr;      // Allocated by this.
    X509* certificate_ = nullptr;  // Allocated by this.
    std::string fingerprint_;
};

}  // namespace vg::rtc::dtls
