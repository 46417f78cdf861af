/* src/core/handle.c — the registry of live handles.
 *
 * Every public handle is registered while it is alive. A call with a pointer that is not in
 * the registry (freed, closed, never created, or of another type) gets MO_E_MISUSE instead of
 * a crash. A freed pointer whose memory is reused for a new handle of the same type cannot be
 * told apart; that is documented as undefined, as in every C library.
 *
 * The registry is an open-addressing hash set (linear probing, backward-shift deletion)
 * behind one mutex. Lookups are a few dozen nanoseconds, far below any network call, but a
 * row loop checks its result handle on every call (next + one getter per cell): each thread
 * therefore remembers, per handle type, the last handle of that type it found live (or
 * registered), together with that type's generation, which every unregister of a handle of
 * the type bumps. While the generation is unchanged no handle of the type has died, so the
 * remembered one is still live and the check costs no lock. A statement's calls alternate
 * between types (client, params, result) and free a result each time: one memo per type
 * keeps the client's and the params' checks lock-free through that. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

/* ------------------------------------------------------------------ process generation */

static pthread_once_t process_once = PTHREAD_ONCE_INIT;
static _Atomic unsigned process_generation = 1;
static _Atomic int process_pid;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

/* The registry lock is held across fork(), so a child never inherits it locked by a thread
 * that does not exist there (its handle checks would wait forever). */
static void before_fork(void) { pthread_mutex_lock(&registry_lock); }
static void after_fork_in_parent(void) { pthread_mutex_unlock(&registry_lock); }

static void forked_child(void) {
    atomic_store(&process_pid, (int)getpid());
    atomic_fetch_add(&process_generation, 1);
    pthread_mutex_unlock(&registry_lock);
}

static void process_init(void) {
    pthread_atfork(before_fork, after_fork_in_parent, forked_child);
    /* last: a pid set says the handlers are in place (the callers' fast path) */
    atomic_store(&process_pid, (int)getpid());
}

unsigned mo_process_generation(void) {
    /* process_pid is set once process_init ran: then the once-call is not needed */
    if (!atomic_load_explicit(&process_pid, memory_order_acquire))
        pthread_once(&process_once, process_init);
    return atomic_load_explicit(&process_generation, memory_order_relaxed);
}

int mo_process_pid(void) {
    if (!atomic_load_explicit(&process_pid, memory_order_acquire))
        pthread_once(&process_once, process_init);
    return atomic_load_explicit(&process_pid, memory_order_relaxed);
}

/* No pthread_once here: a handle exists only after mo_handle_register ran it. */
int mo_handle_inherited(const void *h) {
    return ((const mo_handle *)h)->process !=
           atomic_load_explicit(&process_generation, memory_order_relaxed);
}

typedef struct {
    const mo_handle *handle;
    uint32_t type;
} slot;

static slot *slots;
static size_t slot_count; /* capacity, a power of two */
static size_t live_count;
/* Types share memo slots and generations by a hash of the type (the hot ones apart). */
#define MEMO_SLOTS 16
static unsigned memo_slot(uint32_t type) {
    return (unsigned)((type * 0x9E3779B1u) >> 28) & (MEMO_SLOTS - 1);
}
/* bumped (under the lock) by every unregister of a handle of a type of the slot */
static _Atomic uint64_t generation[MEMO_SLOTS];
static _Thread_local struct {
    const void *handle;
    uint32_t type;
    uint64_t generation;
} last_live[MEMO_SLOTS];

/* Caller holds the lock and h is live. */
static void remember(const void *h, uint32_t type) {
    unsigned k = memo_slot(type);
    last_live[k].handle = h;
    last_live[k].type = type;
    last_live[k].generation = atomic_load_explicit(&generation[k], memory_order_relaxed);
}

static size_t hash_pointer(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

/* Caller holds the lock. Returns the index of p, or of the empty slot where it would go. */
static size_t find_slot(const void *p) {
    size_t mask = slot_count - 1, i = hash_pointer(p) & mask;
    while (slots[i].handle && slots[i].handle != p) i = (i + 1) & mask;
    return i;
}

static int grow(void) {
    size_t new_count = slot_count ? slot_count * 2 : 64;
    slot *new_slots = calloc(new_count, sizeof *new_slots);
    if (!new_slots) return -1;
    slot *old = slots;
    size_t old_count = slot_count;
    slots = new_slots;
    slot_count = new_count;
    for (size_t i = 0; i < old_count; i++)
        if (old[i].handle) slots[find_slot(old[i].handle)] = old[i];
    free(old);
    return 0;
}

mo_status mo_handle_register(mo_handle *h, mo_handle_type type, const char *operation) {
    h->type = type;
    atomic_init(&h->busy, 0);
    h->process = mo_process_generation();
    h->pid = mo_process_pid();
    pthread_mutex_lock(&registry_lock);
    if ((live_count + 1) * 2 > slot_count && grow() != 0) {
        pthread_mutex_unlock(&registry_lock);
        return mo_error_oom(operation);
    }
    size_t i = find_slot(h);
    slots[i].handle = h;
    slots[i].type = type;
    live_count++;
    remember(h, (uint32_t)type);
    pthread_mutex_unlock(&registry_lock);
    return MO_OK;
}

void mo_handle_unregister(mo_handle *h) {
    pthread_mutex_lock(&registry_lock);
    if (slot_count) {
        size_t mask = slot_count - 1, i = find_slot(h);
        if (slots[i].handle == h) {
            unsigned memo = memo_slot(slots[i].type);
            /* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
            size_t j = i;
            for (;;) {
                slots[i].handle = NULL;
                for (;;) {
                    j = (j + 1) & mask;
                    if (!slots[j].handle) goto done;
                    size_t home = hash_pointer(slots[j].handle) & mask;
                    /* Move j back to i unless its home lies cyclically in (i, j]. */
                    if (i <= j ? (i < home && home <= j) : (i < home || home <= j)) continue;
                    break;
                }
                slots[i] = slots[j];
                i = j;
            }
        done:
            live_count--;
            atomic_fetch_add_explicit(&generation[memo], 1, memory_order_release);
        }
    }
    pthread_mutex_unlock(&registry_lock);
    h->type = 0;
}

static int handle_is_live_locked(const void *h, mo_handle_type type);

/* The lock-free check: h is the handle this thread last found live, and nothing was
 * unregistered since. */
static inline int remembered_live(const void *h, mo_handle_type type) {
    unsigned k = memo_slot((uint32_t)type);
    return last_live[k].handle == h && last_live[k].type == (uint32_t)type &&
           last_live[k].generation == atomic_load_explicit(&generation[k], memory_order_acquire);
}

int mo_handle_is_live(const void *h, mo_handle_type type) {
    if (!h) return 0;
    /* the slow path is a function of its own, so this one saves no registers */
    if (remembered_live(h, type)) return 1;
    return handle_is_live_locked(h, type);
}

static __attribute__((noinline)) int handle_is_live_locked(const void *h, mo_handle_type type) {
    pthread_mutex_lock(&registry_lock);
    int live = 0;
    if (slot_count) {
        size_t i = find_slot(h);
        live = slots[i].handle == h && slots[i].type == (uint32_t)type;
    }
    if (live) remember(h, (uint32_t)type);
    pthread_mutex_unlock(&registry_lock);
    return live;
}

static const char *type_name(mo_handle_type type) {
    switch (type) {
    case MO_HANDLE_CONFIG: return "config";
    case MO_HANDLE_CLIENT: return "client";
    case MO_HANDLE_SESSION: return "session";
    case MO_HANDLE_RESULT: return "result";
    case MO_HANDLE_PARAMS: return "params";
    case MO_HANDLE_EXECUTOR: return "executor";
    case MO_HANDLE_RECORD: return "record";
    case MO_HANDLE_RECORD_LIST: return "record list";
    case MO_HANDLE_OP: return "operation";
    case MO_HANDLE_STRMAP: return "strmap";
    case MO_HANDLE_LOAD_OPTIONS: return "load options";
    case MO_HANDLE_POOL: return "pool";
    }
    return "handle";
}

static mo_status check_live(const void *h, mo_handle_type type, const char *operation) {
    if (!h) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "%s handle is NULL", type_name(type));
    if (!mo_handle_is_live(h, type))
        return mo_error_set(MO_E_MISUSE, operation,
                            "not a live %s handle (already freed or closed, or not a %s)",
                            type_name(type), type_name(type));
    return MO_OK;
}

static mo_status take_busy(void *h, mo_handle_type type, const char *operation) {
    if (atomic_exchange(&((mo_handle *)h)->busy, 1))
        return mo_error_set(MO_E_MISUSE, operation,
                            "%s handle is in use by another call or a pending asynchronous operation "
                            "(one call at a time)",
                            type_name(type));
    return MO_OK;
}

mo_status mo_handle_enter_release(void *h, mo_handle_type type, const char *operation) {
    mo_status st = check_live(h, type, operation);
    return st < 0 ? st : take_busy(h, type, operation);
}

/* Kept out of line so that the lock-free path of mo_handle_check saves no registers. */
static __attribute__((noinline)) mo_status check_registered(const void *h, mo_handle_type type,
                                                            const char *operation) {
    mo_status st = check_live(h, type, operation);
    if (st < 0) return st;
    if (mo_handle_inherited(h))
        return mo_error_set(MO_E_MISUSE, operation,
                            "%s handle was created in process %d; use it only there (this is "
                            "process %d, a child of fork(): open a new client here)",
                            type_name(type), ((const mo_handle *)h)->pid, mo_process_pid());
    return MO_OK;
}

mo_status mo_handle_check(const void *h, mo_handle_type type, const char *operation) {
    /* The row loop's path (next, then a getter per cell): one memo test, no nested calls. */
    if (h && remembered_live(h, type) && !mo_handle_inherited(h)) return MO_OK;
    return check_registered(h, type, operation);
}

mo_status mo_handle_enter(void *h, mo_handle_type type, const char *operation) {
    mo_status st = mo_handle_check(h, type, operation);
    return st < 0 ? st : take_busy(h, type, operation);
}

void mo_handle_leave(void *h) { atomic_store(&((mo_handle *)h)->busy, 0); }
