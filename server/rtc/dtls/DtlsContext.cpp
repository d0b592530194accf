#include "rtc/dtls/DtlsContext.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace vg::rtc::dtls {
namespace {

// Peers present self-signed certificates; the transport checks the SDP fingerprint once the
// handshake is done, so chain validation must not refuse them here.
int accept_any_certificate(int, X509_STORE_CTX*) {
    return 1;
}

}  // namespace

DtlsContext::DtlsContext(std::shared_ptr<const DtlsCertificate> certificate)
    : certificate_(std::move(certificate)) {
    context_ = SSL_CTX_new(DTLS_method());
    if (context_ == nullptr) throw std::runtime_error("SSL_CTX_new failed");
    if (SSL_CTX_set_min_proto_version(context_, DTLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate(context_, certificate_->certificate()) != 1 ||
        SSL_CTX_use_PrivateKey(context_, certificate_->key()) != 1 ||
        SSL_CTX_check_private_key(context_) != 1 ||
        SSL_CTX_set_cipher_list(context_,
                                "ECDHE-ECDSA-AES128-GCM-SHA256:"
                                "ECDHE-ECDSA-AES256-GCM-SHA384:"
                                "ECDHE-ECDSA-CHACHA20-POLY1305:"
                                "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA") != 1 ||
        // OpenSSL returns 0 on success here.
        SSL_CTX_set_tlsext_use_srtp(context_, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") !=
            0) {
        SSL_CTX_free(context_);
        throw std::runtime_error("cannot configure the DTLS context");
    }
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       accept_any_certificate);
    SSL_CTX_set_verify_depth(context_, 4);
    // No session tickets or resumption: every WebRTC handshake is fresh.
    SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(context_, SSL_OP_NO_TICKET | SSL_OP_NO_QUERY_MTU);
    SSL_CTX_set_read_ahead(context_, 1);
}

DtlsContext::~DtlsContext() {
    SSL_CTX_free(context_);
}

}  // namespace vg::rtc::dtls
