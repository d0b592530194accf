#include "http/TlsContext.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>

namespace vg::http {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites with forward secrecy and authenticated encryption only (no CBC, no RSA key
// exchange, no DHE whose parameters we would have to manage); TLS 1.3 keeps OpenSSL's three.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string openssl_reason(const boost::system::error_code& ec) {
    std::string reason = ec.message();
    ERR_clear_error();
    return reason;
}

}  // namespace

TlsContext::TlsContext() : context_(std::make_unique<ssl::context>(ssl::context::tls_server)) {}

TlsContext::~TlsContext() = default;

std::shared_ptr<TlsContext> TlsContext::load(const std::string& cert_file,
                                             const std::string& key_file) {
    std::shared_ptr<TlsContext> tls(new TlsContext());
    auto& context = *tls->context_;
    SSL_CTX* native = context.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                        ssl::context::single_dh_use);
    // The server's order of suites wins; renegotiation is a DoS lever nobody here needs.
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
        ERR_clear_error();
        throw Error("no usable TLS 1.2 cipher suite in this OpenSSL");
    }

    boost::system::error_code ec;
    context.use_certificate_chain_file(cert_file, ec);
    if (ec) throw Error("certificate file '" + cert_file + "': " + openssl_reason(ec));
    context.use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec) throw Error("key file '" + key_file + "': " + openssl_reason(ec));
    if (SSL_CTX_check_private_key(native) != 1) {
        ERR_clear_error();
        throw Error("key file '" + key_file + "' does not match the certificate in '" + cert_file +
                    "'");
    }

    if (X509* leaf = SSL_CTX_get0_certificate(native)) {
        if (BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), nullptr)) {
            if (char* hex = BN_bn2hex(serial)) {
                tls->serial_ = hex;
                OPENSSL_free(hex);
            }
            BN_free(serial);
        }
    }
    return tls;
}

}  // namespace vg::http
