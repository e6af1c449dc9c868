/* The Go library as gobridge._native reaches it: see gb_loader.h. */

/* First: Python.h defines _GNU_SOURCE, which link.h's dl_iterate_phdr and
   dlfcn.h's dlinfo need. */
#include "gb_stable.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <limits.h>
#include <link.h>
#include <unistd.h>
#endif

#include "gb_callbacks.h"
#include "gb_function.h"
#include "gb_loader.h"

static void *gb_mapped;          /* dlopened: the Go runtime is starting or has started */
static char gb_path[4096];       /* the library gb_mapped holds */
static void *gb_handle;          /* checked and handed the host: calls may go through */
static int gb_sigpipe_ignored;   /* Python's SIGPIPE disposition from before Go started */
static volatile int gb_forked_flag;
static pthread_mutex_t gb_open_lock = PTHREAD_MUTEX_INITIALIZER;

/* unusable_status is the status of a call that cannot reach the library. */
static int64_t
unusable_status(void)
{
    return gb_forked_flag ? GB_FORKED : GB_NOT_LOADED;
}

static int
usable(void)
{
    return gb_handle != NULL && !gb_forked_flag;
}

/* ---- Entry points the C layer calls directly --------------------------- */

/* The stubs of the direct entries: they report why the library cannot be
   called. */
static void
invoke_unusable(uint64_t fid, gobridge_frame *frame)
{
    (void)fid;
    frame->status = unusable_status();
}

static int64_t
invoke_scalar_unusable(uint64_t fid, uint64_t self, uint64_t a0, uint64_t a1,
                       gobridge_scalar_result *out)
{
    (void)fid;
    (void)self;
    (void)a0;
    (void)a1;
    out->error = NULL;
    out->error_len = 0;
    return unusable_status();
}

/* The C layer calls these on every call without a check of its own: each
   is Go's function while the library is usable, and otherwise its stub.
   X(return type, pointer, parameters, Go's symbol, stub); the pointer is
   declared for the C layer in gb_function.h. */
#define GB_DIRECT(X) \
    X(void, gb_invoke, (uint64_t fid, gobridge_frame *frame), "gobridge_invoke", invoke_unusable) \
    X(int64_t, gb_invoke_scalar, \
      (uint64_t fid, uint64_t self, uint64_t a0, uint64_t a1, gobridge_scalar_result *out), \
      "gobridge_invoke_scalar", invoke_scalar_unusable)

#define GB_DEFINE_DIRECT(ret, ptr, params, symbol, stub) \
    ret (*ptr) params = stub; \
    static ret (*p_##ptr) params;
GB_DIRECT(GB_DEFINE_DIRECT)
#undef GB_DEFINE_DIRECT

/* use_go points the direct entries at Go's functions, once the library is
   usable. */
static void
use_go(void)
{
#define GB_USE_GO(ret, ptr, params, symbol, stub) ptr = p_##ptr;
    GB_DIRECT(GB_USE_GO)
#undef GB_USE_GO
}

/* use_stubs points them back at their stubs, in a forked child. */
static void
use_stubs(void)
{
#define GB_USE_STUB(ret, ptr, params, symbol, stub) ptr = stub;
    GB_DIRECT(GB_USE_STUB)
#undef GB_USE_STUB
}

/* ---- Forwarders --------------------------------------------------------- */

/* Go's functions, resolved when the library is opened. */
#define GB_DEFINE_POINTER(ret, name, params, args) static ret (*p_##name) params;
GB_FORWARDED(GB_DEFINE_POINTER)
#undef GB_DEFINE_POINTER

static gb_ret
unusable_ret(void)
{
    gb_ret r = {unusable_status(), NULL, 0};
    return r;
}

/* The body of a forwarder, by its return type: Go's function's result, or
   what says the library is not usable. */
#define GB_FORWARD_gb_ret(call) return usable() ? call : unusable_ret();
#define GB_FORWARD_uint32_t(call) return usable() ? call : 0;
#define GB_FORWARD_uint64_t(call) return usable() ? call : 0;
#define GB_FORWARD_void(call) \
    if (usable()) { \
        call; \
    }

#define GB_DEFINE_FORWARDER(ret, name, params, args) \
    ret gb_##name params \
    { \
        GB_FORWARD_##ret(p_##name args) \
    }
GB_FORWARDED(GB_DEFINE_FORWARDER)
#undef GB_DEFINE_FORWARDER

gb_ret
gb_call_b1(uint64_t fid, uint64_t self, const char *args, size_t args_len, const void *buf,
           size_t buf_len)
{
    gb_span span = {buf, buf_len};
    return gb_call(fid, self, args, args_len, &span, 1);
}

/* ---- Opening the library ------------------------------------------------ */

static void
on_fork_child(void)
{
    gb_forked_flag = 1;
    use_stubs();
}

int
gb_forked(void)
{
    return gb_forked_flag;
}

const char *
gb_loaded_path(void)
{
    return gb_mapped ? gb_path : NULL;
}

/* Sets ptr to the library h's function sym, or fails with a message in
   err; for resolve_functions and start_library. */
#define GB_RESOLVE(ptr, sym) \
    do { \
        *(void **)&(ptr) = dlsym(h, sym); \
        if ((ptr) == NULL) { \
            snprintf(err, err_len, "%s: missing symbol %s", path, sym); \
            return -1; \
        } \
    } while (0)

/* resolve_functions resolves the functions of GB_FORWARDED and the direct
   entries in the library h at path; 0, or -1 with a message in err. The
   ABI version is checked first, so that a library of another version is
   reported as that rather than as a missing function. */
static int
resolve_functions(void *h, const char *path, char *err, size_t err_len)
{
    GB_RESOLVE(p_abi_version, "gobridge_abi_version");
    if (p_abi_version() != GB_ABI_VERSION) {
        snprintf(err, err_len,
                 "%s speaks gobridge ABI version %u, this gobridge needs %d; "
                 "rebuild the library with this version of gobridge",
                 path, p_abi_version(), GB_ABI_VERSION);
        return -1;
    }
#define GB_RESOLVE_FORWARDED(ret, name, params, args) GB_RESOLVE(p_##name, "gobridge_" #name);
    GB_FORWARDED(GB_RESOLVE_FORWARDED)
#undef GB_RESOLVE_FORWARDED
#define GB_RESOLVE_DIRECT(ret, ptr, params, symbol, stub) GB_RESOLVE(p_##ptr, symbol);
    GB_DIRECT(GB_RESOLVE_DIRECT)
#undef GB_RESOLVE_DIRECT
    return 0;
}

/* start_library makes the mapped library h at path usable: it waits for
   the Go runtime (the first call into Go does), checks the library and
   hands it the host; 0, or -1 with a message in err. */
static int
start_library(void *h, const char *path, char *err, size_t err_len)
{
    void (*set_host)(const gobridge_host *);
    if (resolve_functions(h, path, err, err_len) < 0) {
        return -1;
    }
    GB_RESOLVE(set_host, "gobridge_set_host");
    set_host(&gb_host);
    if (gb_sigpipe_ignored) {
        void (*ignore_sigpipe)(void);
        GB_RESOLVE(ignore_sigpipe, "gobridge_ignore_sigpipe");
        ignore_sigpipe();
    }
    return 0;
}

#undef GB_RESOLVE

/* load_name is what dlopen is given for the library at `path`: the file
   behind the descriptor fd when there is one (see gb_open_fd), and
   elsewhere than Linux `path`. */
static const char *
load_name(const char *path, int fd, char *buf, size_t cap)
{
#ifdef __linux__
    if (fd >= 0) {
        snprintf(buf, cap, "/proc/self/fd/%d", fd);
        return buf;
    }
#else
    (void)fd;
    (void)buf;
    (void)cap;
#endif
    return path;
}

/* map_library dlopens the library at path (through fd, see load_name),
   which starts the Go runtime; 0, or -1 with a message in err. */
static int
map_library(const char *path, int fd, char *err, size_t err_len)
{
    char by_fd[32];
    struct sigaction sigpipe_before;

    /* Python ignores SIGPIPE (so that a write to a closed pipe raises
       BrokenPipeError); the Go runtime installs its own handler. Keep
       Python's behaviour, for Go's writes and for the children Python
       starts, by restoring the disposition once Go has started. */
    sigaction(SIGPIPE, NULL, &sigpipe_before);
    gb_sigpipe_ignored = sigpipe_before.sa_handler == SIG_IGN;
    const char *load = load_name(path, fd, by_fd, sizeof by_fd);
    void *h = dlopen(load, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        if (load == path) {
            snprintf(err, err_len, "%s", dlerror());
        }
        else {
            snprintf(err, err_len, "%s (opened as %s): %s", path, load, dlerror());
        }
        return -1;
    }
    strcpy(gb_path, path);
    gb_mapped = h;
    /* Go's threads exist from here on, and a forked child has none. */
    pthread_atfork(NULL, NULL, on_fork_child);
    return 0;
}

/* open_locked is gb_open_fd under gb_open_lock. */
static int
open_locked(const char *path, int fd, int start, char *err, size_t err_len)
{
    if (gb_mapped && strcmp(path, gb_path) != 0) {
        snprintf(err, err_len,
                 "a different gobridge library is already loaded in this process (%s); "
                 "one process can hold one Go runtime, so %s cannot be loaded too",
                 gb_path, path);
        return -2;
    }
    if (gb_handle || (gb_mapped && !start)) {
        return 0;
    }
    if (gb_forked_flag) {
        snprintf(err, err_len, "the Go runtime does not survive fork()");
        return -1;
    }
    if (path[0] != '/') {
        snprintf(err, err_len, "refusing to load %s: the library path must be absolute", path);
        return -1;
    }
    if (strlen(path) >= sizeof gb_path) {
        snprintf(err, err_len, "library path too long");
        return -1;
    }
    if (!gb_mapped && map_library(path, fd, err, err_len) < 0) {
        return -1;
    }
    if (!start) {
        return 0;
    }
    /* The Go runtime cannot be unloaded once started, so a library that
       fails the checks stays mapped but unused. */
    if (start_library(gb_mapped, path, err, err_len) < 0) {
        return -1;
    }
    gb_handle = gb_mapped;
    use_go();
    return 0;
}

int
gb_open_fd(const char *path, int fd, int start, char *err, size_t err_len)
{
    pthread_mutex_lock(&gb_open_lock);
    int rc = open_locked(path, fd, start, err, err_len);
    pthread_mutex_unlock(&gb_open_lock);
    return rc;
}

int
gb_open(const char *path, int start, char *err, size_t err_len)
{
    return gb_open_fd(path, -1, start, err, err_len);
}

/* ---- Memory shared with the library ------------------------------------ */

void
gb_free(void *p)
{
    free(p);
}

void *
gb_malloc(size_t n)
{
    return malloc(n ? n : 1);
}

int64_t
gb_reply(gb_ret *out, int64_t status, const char *data, size_t len)
{
    out->status = status;
    out->data = malloc(len ? len : 1);
    out->len = out->data ? len : 0;
    if (out->data && len) {
        memcpy(out->data, data, len);
    }
    return status;
}

/* ---- Other Go runtimes in the process ---------------------------------- */

#ifdef __linux__

typedef struct {
    char ours[PATH_MAX];
    char *out;
    size_t cap;
    size_t len;
    int have_mapped;
    ElfW(Addr) mapped_base; /* our library's, which gb_path names */
} go_scan;

/* in_loaded_segment reports whether [start, end) lies in a loaded segment
   of the object, and so is mapped. */
static int
in_loaded_segment(const struct dl_phdr_info *info, ElfW(Addr) start, ElfW(Addr) end)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && start >= ph->p_vaddr
            && end <= ph->p_vaddr + ph->p_filesz) {
            return 1;
        }
    }
    return 0;
}

/* has_go_note reports whether the object carries Go's build-id note: name
   "Go", type 4. */
static int
has_go_note(const struct dl_phdr_info *info)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE
            || !in_loaded_segment(info, ph->p_vaddr, ph->p_vaddr + ph->p_filesz)) {
            continue;
        }
        size_t align = ph->p_align == 8 ? 8 : 4;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_filesz;
        while ((size_t)(end - p) >= 12) {
            uint32_t namesz, descsz, type;
            memcpy(&namesz, p, 4);
            memcpy(&descsz, p + 4, 4);
            memcpy(&type, p + 8, 4);
            size_t room = (size_t)(end - p) - 12;
            size_t name_len = ((size_t)namesz + align - 1) & ~(align - 1);
            size_t desc_len = ((size_t)descsz + align - 1) & ~(align - 1);
            if (name_len > room || desc_len > room - name_len) {
                break;
            }
            if ((namesz == 3 || namesz == 4) && type == 4 && memcmp(p + 12, "Go", 3) == 0) {
                return 1;
            }
            p += 12 + name_len + desc_len;
        }
    }
    return 0;
}

/* scan_object is dl_iterate_phdr's callback: it adds the object to the
   scan's list if it carries a Go runtime and is not ours. */
static int
scan_object(struct dl_phdr_info *info, size_t size, void *data)
{
    go_scan *scan = data;
    char exe[PATH_MAX], real[PATH_MAX];
    const char *name = info->dlpi_name;
    (void)size;
    if (!has_go_note(info)) {
        return 0;
    }
    /* The loader names a library map_library mapped through a descriptor
       /proc/self/fd/N. */
    if (scan->have_mapped && info->dlpi_addr == scan->mapped_base) {
        name = gb_path;
    }
    if (name == NULL || name[0] == '\0') {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) {
            return 0;
        }
        exe[n] = '\0';
        name = exe;
    }
    if (realpath(name, real) && strcmp(real, scan->ours) == 0) {
        return 0;
    }
    size_t n = strlen(name);
    if (scan->len + n + 1 <= scan->cap) {
        memcpy(scan->out + scan->len, name, n);
        scan->out[scan->len + n] = '\n';
    }
    scan->len += n + 1;
    return 0;
}

size_t
gb_go_runtimes(const char *ours, char *out, size_t cap)
{
    go_scan scan = {{0}, out, cap, 0, 0, 0};
    struct link_map *mapped;
    if (!realpath(ours, scan.ours)) {
        snprintf(scan.ours, sizeof scan.ours, "%s", ours);
    }
    if (gb_mapped && dlinfo(gb_mapped, RTLD_DI_LINKMAP, &mapped) == 0) {
        scan.have_mapped = 1;
        scan.mapped_base = mapped->l_addr;
    }
    dl_iterate_phdr(scan_object, &scan);
    return scan.len;
}

#else

size_t
gb_go_runtimes(const char *ours, char *out, size_t cap)
{
    (void)ours;
    (void)out;
    (void)cap;
    return 0;
}

#endif
