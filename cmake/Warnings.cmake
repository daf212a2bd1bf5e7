# Strict warnings for our code only (imported targets' headers are SYSTEM includes).
add_compile_options(-Wall -Wextra -Wshadow -Wnon-virtual-dtor)
if(VITALS_WERROR)
  add_compile_options(-Werror)
endif()
# GCC 12 reports -Wrestrict false positives for std::string concatenation at -O2/-O3
# (GCC bug 105651, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
