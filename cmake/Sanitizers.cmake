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
