# Strict warnings for our code only (imported targets' headers are SYSTEM includes).
add_compile_options(-Wall -Wextra -Wshadow -Wnon-virtual-dtor)
if(VITALS_WERROR)
  add_compile_options(-Werror)
endif()
