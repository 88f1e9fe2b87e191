#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option used. */

/* git re-hashes objects only in fsck; libgit2 re-hashes every object it reads unless told not to. */
static inline int migledger_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* Calls a backend's `exists` callback (a C function pointer field). */
static inline int migledger_backend_exists(git_odb_backend *backend, const git_oid *id) {
    return backend->exists ? backend->exists(backend, id) : 0;
}
