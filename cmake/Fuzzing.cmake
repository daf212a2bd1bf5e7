# libFuzzer build (VITALS_BUILD_FUZZERS=ON, clang only): every object gets coverage
# instrumentation for the fuzzer plus ASan + UBSan; the fuzz targets in fuzz/ link
# libFuzzer's main. Use its own build dir (build-fuzz), see docs/testing.md.
if(VITALS_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VITALS_BUILD_FUZZERS needs clang: configure with CXX=clang++")
  endif()
  if(VITALS_SANITIZE OR VITALS_TSAN)
    message(FATAL_ERROR "VITALS_BUILD_FUZZERS brings its own sanitizers; leave "
                        "VITALS_SANITIZE and VITALS_TSAN off")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
