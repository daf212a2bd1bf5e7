# ASan + UBSan for the sanitizer build of the unit tests (VITALS_SANITIZE=ON).
if(VITALS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  # GCC 12 instrumentation makes -Wmaybe-uninitialized report false positives inside
  # libstdc++ (std::regex's std::function state), which -Werror turns into errors.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()

# ThreadSanitizer for the race tests of the HTTP server and the scraper (VITALS_TSAN=ON,
# own build dir build-tsan; see tests/unit/CMakeLists.txt and docs/testing.md).
if(VITALS_TSAN)
  if(VITALS_SANITIZE)
    message(FATAL_ERROR "VITALS_TSAN and VITALS_SANITIZE cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 warns that atomic_thread_fence is not supported by TSan (used by spdlog
    # and libstdc++'s shared_ptr); it is not used on the paths the race tests cover.
    add_compile_options(-Wno-tsan -Wno-maybe-uninitialized)
  endif()
endif()
