#include "rtc/dtls/DtlsCertificate.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <stdexcept>

#include "common/Crypto.hpp"

namespace vg::rtc::dtls {

DtlsCertificate::DtlsCertificate() {
    key_ = EVP_EC_gen("P-256");
    if (key_ == nullptr) throw std::runtime_error("cannot make the DTLS key");
    certificate_ = X509_new();
    if (certificate_ == nullptr) {
        EVP_PKEY_free(key_);
        throw std::runtime_error("cannot make the DTLS certificate");
    }
    try {
        std::array<unsigned char, 8> serial{};
        common::crypto::fill_random(serial);
        std::uint64_t serial_number = 0;
        for (auto byte : serial) serial_number = (serial_number << 8) | byte;
        const auto name = reinterpret_cast<const unsigned char*>("visioguichet");
        X509_NAME* subject = X509_get_subject_name(certificate_);
        if (X509_set_version(certificate_, 2) != 1 ||
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate_), serial_number >> 1) != 1 ||
            X509_gmtime_adj(X509_getm_notBefore(certificate_), -24 * 3600) == nullptr ||
            X509_gmtime_adj(X509_getm_notAfter(certificate_), 30L * 24 * 3600) == nullptr ||
            X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, name, -1, -1, 0) != 1 ||
            X509_set_issuer_name(certificate_, subject) != 1 ||
            X509_set_pubkey(certificate_, key_) != 1 ||
            X509_sign(certificate_, key_, EVP_sha256()) == 0)
            throw std::runtime_error("cannot sign the DTLS certificate");
        fingerprint_ = fingerprint_of(certificate_);
        if (fingerprint_.empty()) throw std::runtime_error("cannot hash the DTLS certificate");
    } catch (...) {
        X509_free(certificate_);
        EVP_PKEY_free(key_);
        throw;
    }
}

DtlsCertificate::~DtlsCertificate() {
    X509_free(certificate_);
    EVP_PKEY_free(key_);
}

std::string DtlsCertificate::fingerprint_of(X509* certificate) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (certificate == nullptr ||
        X509_digest(certificate, EVP_sha256(), digest.data(), &length) != 1)
        return {};
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string text;
    text.reserve(length * 3);
    for (unsigned int i = 0; i < length; ++i) {
        if (i != 0) text.push_back(':');
        text.push_back(hex[digest[i] >> 4]);
        text.push_back(hex[digest[i] & 0x0f]);
    }
    return text;
}

}  // namespace vg::rtc::dtls
