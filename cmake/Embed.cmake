# Writes the bytes of IN as a C array into OUT:
#   const char coso_shipped_overrides[]; const size_t coso_shipped_overrides_len;
# (cmake -DIN=file -DOUT=file.c -P Embed.cmake)
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n\t" bytes "${bytes}")
file(WRITE "${OUT}" "/* Made by cmake/Embed.cmake from ${IN}: do not edit. */\n#include <stddef.h>\n\n"
     "extern const char coso_shipped_overrides[];\nextern const size_t coso_shipped_overrides_len;\n\n"
     "const char coso_shipped_overrides[] = {\n\t${bytes}0x00\n};\n"
     "const size_t coso_shipped_overrides_len = ${len};\n")
