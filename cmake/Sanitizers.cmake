# ASan + UBSan for the sanitizer build of the unit tests (VITALS_SANITIZE=ON).
if(VITALS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
