function(vg_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough -Werror)
endfunction()

# vg_module(NAME DEPS ...): one static library per folder of server/, made of every .cpp in the
# folder and its subfolders; warnings are errors.
function(vg_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "/main\\.cpp$")  # an executable's entry point
  if(NOT sources)  # a module not written yet
    add_library(vg_${name} INTERFACE)
    target_include_directories(vg_${name} INTERFACE ${PROJECT_SOURCE_DIR}/server)
    target_link_libraries(vg_${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(vg_${name} STATIC ${sources})
  target_include_directories(vg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/server)
  target_link_libraries(vg_${name} PUBLIC ${M_DEPS})
  vg_warnings(vg_${name})
endfunction()

# vg_test(NAME DIR DEPS ... LABELS ...): a GoogleTest executable of every .cpp in tests/DIR,
# registered with ctest test by test.
function(vg_test name)
  cmake_parse_arguments(T "" "DIR" "DEPS;LABELS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${T_DIR}/*.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${T_DEPS} vg_test_support GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  vg_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${T_LABELS}")
endfunction()
