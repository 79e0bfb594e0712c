# Warning flags in one place (as curl's PickyWarnings.cmake): every target is
# built with them, and a warning is an error.
add_compile_options(
  -Wall -Wextra -Werror
  -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
  -Wvla -Wpointer-arith -Wcast-qual -Wno-unused-parameter
)
