# libsrtp2 as the server links it: Debian's source package built with OpenSSL's crypto by
# scripts/libsrtp2.sh (scripts/setup.sh runs it), static, from VG_SRTP2_PREFIX. Debian's binary
# package uses NSS, where AES_CM_128_HMAC_SHA1_80 costs about five times more per packet
# (docs/benchmarks.md); there is deliberately no switch back to it for the server.
# The same default as scripts/libsrtp2.sh, environment included, so that a build configured
# without setup.sh (the CMake presets) finds what setup.sh built.
if(DEFINED ENV{VG_SRTP2_PREFIX})
  set(_vg_srtp2_default $ENV{VG_SRTP2_PREFIX})
else()
  set(_vg_srtp2_default /opt/visioguichet/libsrtp2)
endif()
set(VG_SRTP2_PREFIX ${_vg_srtp2_default} CACHE PATH
    "Where scripts/libsrtp2.sh installed libsrtp2 built against OpenSSL")

set(_vg_srtp2_lib ${VG_SRTP2_PREFIX}/lib/libsrtp2.a)
if(NOT EXISTS ${_vg_srtp2_lib} OR NOT EXISTS ${VG_SRTP2_PREFIX}/include/srtp2/srtp.h)
  message(FATAL_ERROR
    "libsrtp2 built against OpenSSL is missing from ${VG_SRTP2_PREFIX}: run "
    "scripts/libsrtp2.sh ${VG_SRTP2_PREFIX} (scripts/setup.sh does), or point "
    "-DVG_SRTP2_PREFIX= at where it installed it")
endif()
# Its cipher self-descriptions name the engine: a library built with NSS or libsrtp's own AES
# would link and work, slowly, and nobody would notice.
file(STRINGS ${_vg_srtp2_lib} _vg_srtp2_engine REGEX "using openssl" LIMIT_COUNT 1)
if(NOT _vg_srtp2_engine)
  message(FATAL_ERROR "${_vg_srtp2_lib} was not built with OpenSSL's crypto: run "
                      "scripts/libsrtp2.sh again into an empty prefix")
endif()

add_library(vg::srtp2 STATIC IMPORTED GLOBAL)
set_target_properties(vg::srtp2 PROPERTIES IMPORTED_LOCATION ${_vg_srtp2_lib})
target_include_directories(vg::srtp2 INTERFACE ${VG_SRTP2_PREFIX}/include)
target_link_libraries(vg::srtp2 INTERFACE OpenSSL::Crypto ${CMAKE_DL_LIBS} Threads::Threads)
