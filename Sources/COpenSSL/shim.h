/* SHA-1 for object ids and pack checksums: libgit2 keeps its own SHA-1 to itself, and
   OpenSSL's uses the CPU's SHA instructions where there are some. */
#include <openssl/evp.h>
